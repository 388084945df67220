# requirements: confluent-kafka, pydantic, prometheus-client

from confluent_kafka import Producer
from pydantic import BaseModel, ValidationError
from prometheus_client import Counter, start_http_server
import json
import time

# 1. Define your data contract (schema)
class OrderEvent(BaseModel):
    order_id: str
    customer_id: str
    amount: float
    currency: str
    timestamp: float

# 2. Kafka producer config
conf = {
    'bootstrap.servers': 'localhost:9092',
    'client.id': 'orders-producer'
}
producer = Producer(conf)

# 3. Prometheus metrics
events_sent = Counter('orders_events_sent_total', 'Total orders events sent')
validation_errors = Counter('orders_validation_errors_total', 'Schema validation failures')

def delivery_report(err, msg):
    if err:
        print(f"Delivery failed: {err}")
    else:
        events_sent.inc()

def publish_order(order_data: dict):
    try:
        # Validate against the contract
        event = OrderEvent(**order_data)
        payload = event.json().encode('utf-8')
        producer.produce('orders_topic', payload, callback=delivery_report)
        producer.poll(0)
    except ValidationError as e:
        print(f"Validation error: {e}")
        validation_errors.inc()

if __name__ == "__main__":
    # Expose Prometheus metrics on port 8000
    start_http_server(8000)
    # Simulate event generation
    for i in range(1, 101):
        sample_order = {
            "order_id": f"ORD-{i}",
            "customer_id": f"CUST-{i % 10}",
            "amount": float(i * 1.23),
            "currency": "USD",
            "timestamp": time.time()
        }
        publish_order(sample_order)
        time.sleep(0.1)

    producer.flush()
    print("Finished publishing 100 order events.")

// An empty translation unit: tests/layers links a phase's archive into a shared library around it.

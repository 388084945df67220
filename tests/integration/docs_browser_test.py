#!/usr/bin/python3
"""The HTML catalog of examples/contracts in headless Chromium.

`meshc build examples/contracts --target docs`, then every page opened from
the file system (file:// URLs) in Debian's chromium through chromedriver:
- no page logs an error to the console (the browser log is collected; a
  probe page that logs one first proves the collection works), every
  resource a page loads is a local file of the catalog, and its style sheet
  applies;
- every link of every page points at a file that exists (and an anchor at an
  element that exists);
- each product page's lineage SVG has a node per product of its lineage (the
  product, its upstreams and downstreams, transitively) and an edge per
  lineage link between them, compared with the upstreams this script reads
  from the .mesh sources itself (tests/scripts/datahub_manifest_check.py's
  reader); each node of the catalog links to its product's page;
- each product page links to exactly its upstreams and downstreams, and
  following each upstream link (a click) lands on that upstream's page, which
  links back downstream;
- a screenshot of sales.orders.orders_placed shows the diagram: its region of
  the PNG is not blank and holds the highlighted node's colour. The
  screenshot is kept in WORK/orders_placed.png for looking at.

Usage: docs_browser_test.py MESHC WORK REPO_ROOT
"""
import os
import pathlib
import shutil
import subprocess
import sys
import time
import urllib.parse

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1300,1000", "--hide-scrollbars", "--force-device-scale-factor=1",
]
SCREENSHOT_PRODUCT = "sales.orders.orders_placed"
CURRENT_NODE_FILL = (47, 95, 167)  # --accent in the generated style.css

failures = []


def fail(text):
    failures.append(text)


def browser_errors(driver):
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def file_of(url):
    parsed = urllib.parse.urlparse(url)
    return pathlib.Path(urllib.parse.unquote(parsed.path)), parsed.fragment


def open_page(driver, path):
    driver.get(path.as_uri())
    return browser_errors(driver)


def check_page(driver, path, docs):
    """Console, resources, style sheet and links of one page."""
    name = path.relative_to(docs).as_posix()
    for e in open_page(driver, path):
        fail(f"{name}: console error: {e.get('message')}")
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(r => r.name)")
    for r in resources:
        target, _ = file_of(r)
        if not r.startswith("file://") or docs not in target.parents:
            fail(f"{name}: loads {r}, not a file of the catalog")
    background = driver.execute_script(
        "return getComputedStyle(document.querySelector('header.top')).backgroundColor")
    if background != "rgb(23, 50, 77)":
        fail(f"{name}: the style sheet does not apply (header background {background})")
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'))"
        ".map(a => new URL(a.getAttribute('href'), document.baseURI).href)")
    for href in links:
        if not href.startswith("file://"):
            fail(f"{name}: link {href} leaves the file system")
            continue
        target, fragment = file_of(href)
        if not target.is_file():
            fail(f"{name}: link {href} has no target")
        elif fragment and target == path and not driver.find_elements(By.ID, fragment):
            fail(f"{name}: anchor #{fragment} has no element")
    return len(links)


def lineage_closure(product, edges):
    up = {d: set() for _, d in edges}
    down = {u: set() for u, _ in edges}
    for u, d in edges:
        up[d].add(u)
        down[u].add(d)
    members = {product}
    for table in (up, down):
        stack = [product]
        while stack:
            for q in table.get(stack.pop(), ()):
                if q not in members:
                    members.add(q)
                    stack.append(q)
    return members


def check_lineage(driver, docs, product, edges, products):
    name = f"products/{product}.html"
    nodes = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.lineage g.node')).map(g => "
        "[g.dataset.product, g.parentElement.tagName.toLowerCase() === 'a' ? "
        "g.parentElement.getAttribute('href') : null])")
    drawn = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.lineage path.edge')).map(p => "
        "[p.dataset.from, p.dataset.to, p.getTotalLength()])")
    want_nodes = lineage_closure(product, edges)
    want_edges = {(u, d) for u, d in edges if u in want_nodes and d in want_nodes}
    got_nodes = [n for n, _ in nodes]
    if sorted(got_nodes) != sorted(want_nodes):
        fail(f"{name}: diagram nodes {sorted(got_nodes)}, its lineage is {sorted(want_nodes)}")
    got_edges = [(u, d) for u, d, _ in drawn]
    if sorted(got_edges) != sorted(want_edges):
        fail(f"{name}: diagram edges {sorted(got_edges)}, its lineage links are {sorted(want_edges)}")
    for u, d, length in drawn:
        if not length or length < 10:
            fail(f"{name}: edge {u} -> {d} has no visible path")
    for node, href in nodes:
        if node in products:
            if not href:
                fail(f"{name}: diagram node {node} is not a link")
            elif (docs / "products" / href).resolve() != (docs / "products" / f"{node}.html").resolve():
                fail(f"{name}: diagram node {node} links to {href}")
    return len(nodes), len(drawn)


def check_neighbour_links(driver, docs, product, edges):
    """The upstream and downstream lists, and a click on each upstream link."""
    page = docs / "products" / f"{product}.html"
    name = f"products/{product}.html"
    upstreams = sorted(u for u, d in edges if d == product)
    downstreams = sorted(d for u, d in edges if u == product)

    def listed(cls):
        return driver.execute_script(
            f"return Array.from(document.querySelectorAll('ul.{cls} a')).map(a => [a.textContent, a.href])")

    open_page(driver, page)
    for cls, want in (("upstream", upstreams), ("downstream", downstreams)):
        got = listed(cls)
        if sorted(t for t, _ in got) != want:
            fail(f"{name}: {cls} links {sorted(t for t, _ in got)}, the sources say {want}")
        for text, href in got:
            if file_of(href)[0] != docs / "products" / f"{text}.html":
                fail(f"{name}: {cls} link {text} points at {href}")
    followed = 0
    for i, upstream in enumerate(upstreams):
        open_page(driver, page)
        links = driver.find_elements(By.CSS_SELECTOR, "ul.upstream a")
        if i >= len(links):
            break
        links[i].click()
        deadline = time.time() + 10
        while time.time() < deadline and driver.current_url == page.as_uri():
            time.sleep(0.05)
        landed = driver.execute_script("return document.querySelector('p.qualified code')?.textContent")
        if landed != upstream:
            fail(f"{name}: following upstream link {i} lands on {driver.current_url} ({landed}), not {upstream}")
            continue
        back = [t for t, _ in listed("downstream")]
        if product not in back:
            fail(f"products/{upstream}.html: does not link back downstream to {product}")
        followed += 1
    return followed


def check_screenshot(driver, docs, work):
    page = docs / "products" / f"{SCREENSHOT_PRODUCT}.html"
    open_page(driver, page)
    driver.execute_script("document.querySelector('svg.lineage').scrollIntoView({block: 'center'})")
    rect = driver.execute_script(
        "const r = document.querySelector('svg.lineage').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom, window.devicePixelRatio]")
    shot = work / "orders_placed.png"
    driver.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    scale = rect[4]
    box = tuple(int(round(v * scale)) for v in rect[:4])
    box = (max(box[0], 0), max(box[1], 0), min(box[2], image.width), min(box[3], image.height))
    if box[2] - box[0] < 200 or box[3] - box[1] < 40:
        fail(f"screenshot: the diagram's region {box} is too small")
        return
    region = image.crop(box)
    pixels = list(region.getdata())
    counts = {}
    for p in pixels:
        counts[p] = counts.get(p, 0) + 1
    background = max(counts, key=counts.get)
    drawn = sum(n for p, n in counts.items() if sum(abs(a - b) for a, b in zip(p, background)) > 60)
    share = drawn / len(pixels)
    highlighted = sum(n for p, n in counts.items() if sum(abs(a - b) for a, b in zip(p, CURRENT_NODE_FILL)) < 30)
    print(f"screenshot: diagram region {box}, {share:.1%} drawn, {highlighted} pixels of the highlighted node, "
          f"{len(counts)} colours ({shot})")
    if share < 0.03 or len(counts) < 16:
        fail(f"screenshot: the diagram's region is blank ({share:.1%} drawn, {len(counts)} colours)")
    if highlighted < 1000:
        fail(f"screenshot: the highlighted node is not in the diagram's region ({highlighted} pixels)")


def self_test(driver, docs, edges, products):
    """The lineage and link checks refuse a product page with an edge of
    its diagram removed and with its upstream link pointed elsewhere."""
    page = docs / "products" / f"{SCREENSHOT_PRODUCT}.html"
    original = page.read_text(encoding="utf-8")
    start = original.index('<path class="edge"')
    broken = original[:start] + original[original.index("</path>", start) + len("</path>"):]
    upstream = sorted(u for u, d in edges if d == SCREENSHOT_PRODUCT)[0]
    elsewhere = sorted(d for u, d in edges if u == SCREENSHOT_PRODUCT)[0]
    broken = broken.replace(f'href="../products/{upstream}.html"', f'href="../products/{elsewhere}.html"')
    before = len(failures)
    try:
        page.write_text(broken, encoding="utf-8")
        open_page(driver, page)
        check_lineage(driver, docs, SCREENSHOT_PRODUCT, edges, products)
        check_neighbour_links(driver, docs, SCREENSHOT_PRODUCT, edges)
    finally:
        page.write_text(original, encoding="utf-8")
    caught = failures[before:]
    del failures[before:]
    if not any("diagram edges" in f for f in caught) or not any("upstream link" in f for f in caught):
        fail(f"self-test: a page with an edge removed and a wrong upstream link passed ({caught})")
    else:
        print(f"self-test: a broken product page is refused ({len(caught)} problems)")


def main():
    meshc, work, root = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
    sys.path.insert(0, str(root / "tests" / "scripts"))
    from datahub_manifest_check import Sources  # the .mesh reader of the manifest test

    started = time.time()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    contracts = root / "examples" / "contracts"
    subprocess.run([meshc, "build", str(contracts), "-o", str(work / "out"), "--target", "docs"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docs = work / "out" / "docs"
    sources = Sources([str(contracts)])
    products = set(sources.products)
    edges = {(u, d) for u, d in sources.edges() if d in products}
    pages = sorted(docs.rglob("*.html"))
    product_pages = {p.stem for p in (docs / "products").glob("*.html")}
    if product_pages != products:
        fail(f"product pages {sorted(product_pages)}, the sources declare {sorted(products)}")

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={work / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        # The console log is collected: a page that logs an error shows it.
        probe = work / "probe.html"
        probe.write_text("<!DOCTYPE html><title>probe</title><script>console.error('probe error')</script>")
        if not any("probe error" in e.get("message", "") for e in open_page(driver, probe)):
            sys.exit("self-test: the console error of the probe page was not collected")
        print("self-test: a console error is collected")

        links = sum(check_page(driver, p, docs) for p in pages)
        print(f"checked {len(pages)} pages, {links} links: console, resources, style sheet, link targets")
        total_nodes = total_edges = followed = 0
        for product in sorted(products):
            open_page(driver, docs / "products" / f"{product}.html")
            n, e = check_lineage(driver, docs, product, edges, products)
            total_nodes += n
            total_edges += e
            followed += check_neighbour_links(driver, docs, product, edges)
        print(f"checked {len(products)} product diagrams ({total_nodes} nodes, {total_edges} edges; "
              f"{len(edges)} lineage links in the sources), followed {followed} upstream links")
        check_screenshot(driver, docs, work)
        self_test(driver, docs, edges, products)
    finally:
        driver.quit()
    for f in failures:
        print("FAIL", f)
    print(f"{len(failures)} problems in {time.time() - started:.1f}s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

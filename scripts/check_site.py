#!/usr/bin/env python3
"""The report site in a real headless Chromium (issue 15), driven with Selenium (Debian's chromium,
chromium-driver and python3-selenium; scripts/setup.sh --tests installs them).

Builds a small site from test stores (a tiny corpus, a sweep of four tiny runs trained and evaluated by the
binary), opens it from file:// and checks: no console error on any page; the index sorts (by click and by
keyboard, with aria-sort) and filters; every local link, image, stylesheet and script of every page exists; ticking two runs and pressing Compare shows those runs on the comparison
page with their curves; at 390 px wide no page scrolls sideways. With --screenshots DIR it also saves desktop
(1400 px) and phone (390 px) screenshots of the index, a run page, a report page and the comparison page.

Usage: /usr/bin/python3 scripts/check_site.py VAESCOPE_BIN [--screenshots DIR] [--site DIR (use a built site)]
Prints one line per check and "N passed, M failed"; exit 1 on a failure. Skips (exit 0, "SKIP") when Chromium,
chromedriver or Selenium is missing.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    print("SKIP check_site: Selenium not installed (apt-get install python3-selenium)")
    sys.exit(0)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDS = "the cat dog sat on a mat ran to house big red blue small old new".split()


def build_site(bin_, work):
    rng = random.Random(3)
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus)
    for split, n in (("train", 96), ("valid", 24), ("test", 24)):
        with open(os.path.join(corpus, split + ".txt"), "w") as f:
            for _ in range(n):
                f.write(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) + "\n")
    sweep = os.path.join(work, "sweep.yaml")
    with open(sweep, "w") as f:
        f.write("""name: site
corpus: corpus
base: {embeddingSize: 8, encoderHiddenSize: 16, decoderHiddenSize: 16, latentSize: 4, batchSize: 8, epochs: 4,
       logEvery: 4, validateEvery: 6}
axes:
  pooling: [last, max]
  seed: [0, 1]
runName: "{pooling}-s{seed}"
eval: [--iw-samples, "4", --latent-samples, "2", --prior-samples, "6", --interpolation-pairs, "2"]
""")
    subprocess.run([bin_, "sweep", "run", sweep, "--jobs", "2", "--quiet"], check=True)
    site = os.path.join(work, "out")
    specs = [os.path.join(REPO, "Reports", s) for s in ("long2019.yaml", "prokhorov2019.yaml", "demo.yaml")]
    args = [bin_, "report", "--db", os.path.join(work, "site", "*.sqlite"), "--out", site]
    for s in specs:
        args += ["--spec", s]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return site


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--screenshots")
    ap.add_argument("--site")
    a = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not chromium or not os.path.exists(driver_path):
        print("SKIP check_site: chromium or chromedriver not installed (apt-get install chromium chromium-driver)")
        return 0
    work = tempfile.mkdtemp(prefix="vaescope-site-check-")
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + name)
        else:
            failed += 1
            print("FAIL " + name + (": " + detail if detail else ""))

    driver = None
    try:
        site = a.site or build_site(a.bin, work)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--allow-file-access-from-files", "--hide-scrollbars"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.set_window_size(1400, 1000)

        def url(page):
            return "file://" + os.path.join(os.path.abspath(site), page)

        def console_errors():
            return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]

        pages = ["index.html", "compare.html"]
        pages += ["runs/" + f for f in sorted(os.listdir(os.path.join(site, "runs"))) if f.endswith(".html")]
        pages += ["reports/" + f for f in sorted(os.listdir(os.path.join(site, "reports"))) if f.endswith(".html")]
        from urllib.parse import unquote, urlparse
        for page in pages:
            driver.get(url(page))
            errors = console_errors()
            check("no console error: " + page, not errors, "; ".join(errors[:3]))
            # Every link, image, stylesheet and script the page names, as the browser resolved it, is a file
            # that exists (a site published as it is has no broken link); outside links are not followed.
            targets = driver.execute_script(
                "return Array.from(document.querySelectorAll('a[href], img[src], link[href], script[src]'))"
                ".map(e => e.href || e.src)")
            broken = sorted({t for t in targets if t.startswith("file://")
                             and not os.path.exists(unquote(urlparse(t).path))})
            check("no broken link: " + page, not broken, ", ".join(broken[:3]))

        # Index: sort by a numeric column (click, then keyboard), filter.
        driver.get(url("index.html"))
        table = driver.find_element(By.CSS_SELECTOR, "table.sortable")
        headers = table.find_elements(By.CSS_SELECTOR, "thead th")
        names = [h.text for h in headers]
        col = next(i for i, n in enumerate(names) if n.startswith("distortion"))

        def column_values():
            rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
            return [float(r.find_elements(By.TAG_NAME, "td")[col].get_attribute("data-v") or "nan") for r in rows]

        headers[col].click()
        up = column_values()
        check("index sorts ascending on click", up == sorted(up), str(up))
        check("aria-sort ascending", headers[col].get_attribute("aria-sort") == "ascending")
        headers[col].send_keys(Keys.ENTER)
        down = column_values()
        check("index sorts descending by keyboard (Enter)", down == sorted(down, reverse=True), str(down))
        check("aria-sort descending", headers[col].get_attribute("aria-sort") == "descending")
        box = driver.find_element(By.ID, "filter")
        box.send_keys("max-s")
        visible = [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]
        check("filter keeps the matching runs", len(visible) == 2 and all("max-s" in r.text for r in visible),
              str([r.text[:30] for r in visible]))
        box.clear()
        box.send_keys(Keys.BACKSPACE)

        # Comparison: tick two runs, press Compare.
        driver.get(url("index.html"))
        picks = driver.find_elements(By.CSS_SELECTOR, "input.pick")
        rows = driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody tr")
        check("a checkbox on every run row", len(picks) == len(rows) >= 2, f"{len(picks)} boxes, {len(rows)} rows")
        chosen = [picks[0].get_attribute("data-slug"), picks[2].get_attribute("data-slug")]
        picks[0].click()
        picks[2].click()
        driver.find_element(By.ID, "compare-button").click()
        time.sleep(0.5)
        shown = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "a.compared-run")]
        hrefs = [e.get_attribute("href").rsplit("/", 1)[-1] for e in driver.find_elements(By.CSS_SELECTOR, "a.compared-run")]
        check("the comparison page shows the chosen runs", hrefs == [s + ".html" for s in chosen], f"{shown} {hrefs} vs {chosen}")
        charts = driver.find_elements(By.CSS_SELECTOR, "#compare svg polyline")
        check("the comparison page overlays their curves", len(charts) >= 4, str(len(charts)))
        check("the comparison page lists the differing config", "pooling" in driver.find_element(By.ID, "compare").text)
        errors = console_errors()
        check("no console error on the comparison with runs", not errors, "; ".join(errors[:3]))
        compare_url = driver.current_url

        # Phones: nothing scrolls sideways at 390 px.
        driver.set_window_size(390, 844)
        for page in pages + [compare_url]:
            driver.get(page if page.startswith("file:") else url(page))
            time.sleep(0.2)
            over = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            check("no sideways scrolling at 390 px: " + page.rsplit("/", 2)[-1], over <= 0, f"{over} px too wide")

        if a.screenshots:
            os.makedirs(a.screenshots, exist_ok=True)
            run_page = next(p for p in pages if p.startswith("runs/"))
            report_page = "reports/long2019.html" if "reports/long2019.html" in pages else pages[-1]
            for width, height, tag in ((1400, 1000, "desktop"), (390, 844, "phone")):
                driver.set_window_size(width, height)
                for name, page in (("index", url("index.html")), ("run", url(run_page)), ("report", url(report_page)),
                                   ("compare", compare_url)):
                    driver.get(page)
                    time.sleep(0.3)
                    total = driver.execute_script("return document.documentElement.scrollHeight;")
                    driver.set_window_size(width, min(max(height, total), 4000))
                    path = os.path.join(a.screenshots, f"site-{name}-{tag}.png")
                    driver.save_screenshot(path)
                    driver.set_window_size(width, height)
            print("screenshots in " + a.screenshots)
    except subprocess.CalledProcessError as e:
        check("build the test site", False, str(e))
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

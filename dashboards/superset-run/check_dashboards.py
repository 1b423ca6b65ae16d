"""Opens every dashboard of a running Superset in a real headless Chromium, as a person would, and writes what each
chart did to a JSON file: the status and row count of its own POST /api/v1/chart/data, the first rows it got, and any
error the page shows inside the chart. Optionally applies the native filters named on the command line, one at a
time, and records the charts' queries again. Judging is left to the caller (the Java test asserts on the JSON)."""
import re
import argparse
import json
import pathlib
import sys
import time
import urllib.parse
import urllib.request

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

# Debian's Chromium as root in a closed network (no sandbox; no background connections that the network refuses)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
ROWS_KEPT = 50  # rows of each chart's answer kept in the report, for the caller's assertions


def api(base, token, path, body=None):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def database_settings(base, token):
    out = []
    for db in api(base, token, "/api/v1/database/?q=(page_size:100)")["result"]:
        conn = api(base, token, f"/api/v1/database/{db['id']}/connection")["result"]
        extra = json.loads(conn.get("extra") or "{}")
        out.append({"database_name": conn["database_name"], "backend": conn.get("backend"),
                    "read_only": extra.get("engine_params", {}).get("connect_args", {}).get("read_only"),
                    "allow_dml": conn.get("allow_dml"), "allow_file_upload": conn.get("allow_file_upload")})
    return out


class ChartQueries:
    """Every POST /api/v1/chart/data the page makes, by the chart (slice_id) that made it."""

    def __init__(self):
        self.answers = []

    def on_response(self, response):
        request = response.request
        if request.method != "POST" or "/api/v1/chart/data" not in request.url:
            return
        try:
            form_data = (request.post_data_json or {}).get("form_data", {})
        except ValueError:
            form_data = {}
        record = {"slice_id": form_data.get("slice_id"), "status": response.status, "rowcount": None, "error": None,
                  "rows": [], "colnames": []}
        try:
            body = response.json()
            results = body.get("result") or []
            record["rowcount"] = sum(r.get("rowcount") or 0 for r in results)
            record["error"] = "; ".join(str(r["error"]) for r in results if r.get("error")) or body.get("message")
            if results:
                record["rows"] = (results[0].get("data") or [])[:ROWS_KEPT]
                record["colnames"] = results[0].get("colnames") or []
        except Exception as ex:  # an HTML error page or a cut connection: keep what is known
            record["error"] = f"unreadable answer: {ex}"
        self.answers.append(record)

    def since(self, mark):
        return self.answers[mark:]


def log_in(page, base, user, password, attempts=3):
    """Logs in through the login form, as a person would, and lands on a small JSON page (/api/v1/me/) rather than the
    welcome page, whose bundles a busy machine may take minutes to load. The form's page sends an event beacon as it
    unloads; on a busy machine its answer (a redirect to the login page, with an anonymous session cookie) can come
    after the login's and replace the new session's cookie (seen in Superset's log), and a login's answer can be lost
    the same way. So the session is checked once the page has settled, and the login made again from an empty cookie
    jar if it was lost or the form never left the login page; what each failed attempt saw goes to stderr."""
    for attempt in range(1, attempts + 1):
        try:
            page.goto(base + "/login/?next=" + urllib.parse.quote("/api/v1/me/"), wait_until="networkidle", timeout=120_000)
            page.fill("#username", user)
            page.fill("#password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url, wait_until="commit", timeout=90_000)
            page.wait_for_load_state("networkidle", timeout=60_000)
            if page.request.get(base + "/api/v1/me/").status == 200:
                return
            print(f"login attempt {attempt}: the session was lost after the login (at {page.url})", file=sys.stderr)
        except PlaywrightTimeout as ex:
            shown = page.locator("[role='alert'], .ant-message").all_inner_texts() if "/login" in page.url else []
            print(f"login attempt {attempt}: {ex.message.splitlines()[0]} at {page.url}; the page showed {shown}", file=sys.stderr)
        page.context.clear_cookies()
    raise RuntimeError(f"could not log the browser in to Superset in {attempts} attempts (see above)")


def wait_for_charts(page, queries, mark, slice_ids, timeout_s):
    """Scrolls down the dashboard until every chart has answered (charts below the fold load when seen)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        answered = {a["slice_id"] for a in queries.since(mark)}
        if set(slice_ids) <= answered and page.locator(".loading").count() == 0:
            return True
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(500)
    return False


def chart_alerts(page):
    """The text of every error a chart shows on the page, by the chart's name."""
    out = {}
    for holder in page.locator("[data-test='chart-grid-component']").all():
        alerts = holder.locator("[role='alert']")
        if alerts.count():
            name = holder.locator("[data-test='editable-title']").first
            key = name.inner_text() if name.count() else holder.get_attribute("data-test-chart-name") or "?"
            out[key] = " | ".join(a.inner_text() for a in alerts.all())
    return out


def apply_filter(page, filter_name, option_index, option_text=None):
    """Picks an option of a native filter in the filter bar, as a person would (by its place in the list, or by typing
    its name), and applies it; returns its text and the options the list showed first, in their order."""
    heading = page.locator("[data-test='filter-control-name']").filter(has_text=filter_name).first
    filter_id = heading.get_attribute("id").removeprefix("filter-name-")
    page.locator(f"[data-test='{filter_id}'] .ant-select-selector").click()
    listed = page.locator(".ant-select-dropdown:visible .ant-select-item-option")
    listed.first.wait_for(timeout=30_000)
    shown = [o.inner_text() for o in listed.all()]  # a virtual list: the first screenful, in the filter's order
    if option_text is None:
        option = listed.nth(option_index)
    else:
        page.keyboard.type(option_text)
        option = listed.filter(has_text=re.compile("^" + re.escape(option_text) + "$")).first
    option.wait_for(timeout=30_000)
    text = option.inner_text()
    option.click()
    page.keyboard.press("Escape")
    page.locator("[data-test='filter-bar__apply-button']").click()
    return text, shown


def check_dashboard(page, base, token, dashboard, queries, args, out_dir):
    charts = api(base, token, f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
    names = {c["form_data"]["slice_id"]: c["slice_name"] for c in charts}
    mark = len(queries.answers)
    page.goto(f"{base}/superset/dashboard/{dashboard['slug'] or dashboard['id']}/")
    complete = wait_for_charts(page, queries, mark, names, args.timeout)
    page.wait_for_timeout(1500)  # let the last answers render before reading the page
    page.evaluate("window.scrollTo(0, 0)")
    shot = out_dir / f"{args.tag}-{dashboard['slug'] or dashboard['id']}.png"
    page.screenshot(path=str(shot), full_page=True)
    result = {"id": dashboard["id"], "title": dashboard["dashboard_title"], "slug": dashboard["slug"],
              "all_answered": complete, "screenshot": shot.name, "alerts": chart_alerts(page),
              "charts": [dict(a, name=names.get(a["slice_id"])) for a in queries.since(mark) if a["slice_id"] in names],
              "expected_charts": sorted(names.values()), "filters": []}
    for filter_name in args.filter if args.filters_on in (None, dashboard["slug"]) else []:
        if page.locator("[data-test='filter-control-name']").filter(has_text=filter_name).count() == 0:
            continue
        mark = len(queries.answers)
        chosen, shown = apply_filter(page, filter_name, args.option_index, args.option_text)
        page.wait_for_timeout(1000)  # the charts' new queries start after the filter bar applies the value
        wait_for_charts(page, queries, mark, [], args.timeout)  # no chart named: until no spinner is left
        page.wait_for_timeout(1000)
        requeried = [dict(a, name=names.get(a["slice_id"])) for a in queries.since(mark) if a["slice_id"] in names]
        result["filters"].append({"filter": filter_name, "value": chosen, "options_shown": shown, "charts": requeried, "alerts": chart_alerts(page)})
        page.screenshot(path=str(out_dir / f"{args.tag}-{dashboard['slug']}-{filter_name}.png".replace(" ", "_").replace("/", "_")))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True, help="folder for the report (<tag>.json) and the screenshots")
    parser.add_argument("--tag", default="check")
    parser.add_argument("--slug", action="append", default=[], help="only these dashboards (default: all)")
    parser.add_argument("--filter", action="append", default=[], help="a native filter's name to apply once")
    parser.add_argument("--filters-on", default=None, help="the dashboard (slug) to apply the filters on (default: every one)")
    parser.add_argument("--option-index", type=int, default=1, help="which option of each filter to pick")
    parser.add_argument("--option-text", help="pick the option with this text instead, typed into the filter's search")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out_dir = pathlib.Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    token = api(args.url, None, "/api/v1/security/login",
                {"username": args.user, "password": args.password, "provider": "db", "refresh": True})["access_token"]
    dashboards = api(args.url, token, "/api/v1/dashboard/?q=(page_size:100)")["result"]
    dashboards = [d for d in dashboards if not args.slug or d["slug"] in args.slug]
    report = {"databases": database_settings(args.url, token), "dashboards": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
        page.set_default_timeout(90_000)  # Playwright's 30 s is short for a dashboard's first load while the suite's other class runs
        queries = ChartQueries()
        page.on("response", queries.on_response)
        log_in(page, args.url, args.user, args.password)
        for dashboard in sorted(dashboards, key=lambda d: d["id"]):
            report["dashboards"].append(check_dashboard(page, args.url, token, dashboard, queries, args, out_dir))
        browser.close()
    (out_dir / f"{args.tag}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

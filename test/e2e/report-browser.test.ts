/**
 * The HTML report in a real browser: Debian's Chromium driven headless by
 * playwright-core (never a downloaded browser). A real run through the CLI — steps in
 * parallel, a failure its block rescues, a retry — is rendered, loaded and checked:
 * a bar per step with its status, the table filter, a screenshot that is not blank.
 * A 10,000-step run's report size and load time are measured and printed. Skipped,
 * saying so, when /usr/bin/chromium is missing (`.ci/run` installs it).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`report-browser.test: skipped, ${CHROMIUM} is missing`);

const SITE = `steps:
  - name: prepare
    shell: echo preparing
  - parallel:
      - name: fetch app
        shell: sleep 0.4; echo fetched app
      - name: fetch config
        shell: sleep 0.2; echo fetched config
      - name: flaky download
        shell: "test -f .flag || { touch .flag; echo 'connection reset' >&2; exit 1; }"
        retry: {attempts: 3, delay: 200ms}
  - block:
      - name: deploy
        shell: echo deploying; exit 3
    rescue:
      - name: roll back
        shell: echo rolled back
    always:
      - name: write status
        file: {path: status.txt, content: "rolled back\\n"}
        notify: notify team
handlers:
  - name: notify team
    shell: echo told the team
`;

let context: BrowserContext;
let profile: string;
const shots = mkdtempSync(join(tmpdir(), "cairn-report-shots-"));

beforeAll(async () => {
  if (!haveChromium) return;
  profile = mkdtempSync(join(tmpdir(), "cairn-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  if (!haveChromium) return;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Counts in the page (a browser function, as source: this file has no DOM types). */
const COUNT_PIXELS = `async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const colours = new Set();
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i], g = data[i + 1], b = data[i + 2];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) inked++;
  }
  return { colours: colours.size, inked: inked / (data.length / 4) };
}`;

/** Distinct colours and the share of non-white pixels of a PNG, counted by the browser. */
async function pixels(page: Page, png: Buffer): Promise<{ colours: number; inked: number }> {
  await page.goto("about:blank");
  return page.evaluate(`(${COUNT_PIXELS})(${JSON.stringify(png.toString("base64"))})`);
}

describe.skipIf(!haveChromium)("the run report in Chromium", () => {
  it("shows a bar per step with its status, filters the table, and screenshots legibly", async () => {
    const dir = project({ "site.yml": SITE });
    const env = { CAIRN_STATE_DIR: join(dir, "state") };
    const run = cairn(["run", "site.yml", "--report", "report.html"], { cwd: dir, env });
    expect(run.code).toBe(0);
    const shown = JSON.parse(cairn(["show", "--last", "--json"], { cwd: dir, env }).stdout) as {
      steps: { step_id: string; status: string }[];
    };
    const expected = Object.fromEntries(shown.steps.map((s) => [s.step_id, s.status]));
    expect(Object.keys(expected)).toHaveLength(8);

    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:"))
        errors.push(`request ${r.url()}`);
    });
    await page.goto(pathToFileURL(join(dir, "report.html")).href);

    const bars = await page.$$eval("#timeline g.bar", (gs) =>
      gs.map((g) => ({ id: g.getAttribute("data-step")!, cls: g.getAttribute("class")! })),
    );
    expect(bars.map((b) => b.id).sort()).toEqual(Object.keys(expected).sort());
    for (const b of bars) expect(b.cls.split(" "), b.id).toContain(`s-${expected[b.id]}`);
    expect(bars.find((b) => b.id === "deploy")!.cls).toMatch(/\bs-failed\b.*\brescued\b/);
    // The failed first attempt of the flaky step is its own segment.
    expect(
      await page.locator('#timeline g.bar[data-step="flaky-download"] rect.seg-retry').count(),
    ).toBe(1);
    expect(await page.locator("#timeline g.bar.crit").count()).toBeGreaterThan(2);
    expect(await page.locator("#dag g.node").count()).toBe(8);

    const visible = () => page.locator("#steps tbody tr:not(.spacer)").count();
    expect(await visible()).toBe(8);
    await page.fill("#filter", "fetch");
    expect(await visible()).toBe(2);
    expect(await page.textContent("#shown")).toBe("2");
    await page.fill("#filter", "");
    await page.selectOption("#status-filter", "failed");
    expect(await visible()).toBe(1);
    await page.selectOption("#status-filter", "");
    // Sorting by duration puts the longest step (fetch app, 0.4 s) last.
    await page.click("#steps th:nth-child(7)");
    const names = await page.$$eval("#steps tbody tr:not(.spacer) td:nth-child(2)", (tds) =>
      tds.map((t) => t.textContent ?? ""),
    );
    expect(names.at(-1)).toContain("fetch app");

    // A click on a bar opens that step's details.
    await page.click('#timeline g.bar[data-step="deploy"] rect');
    expect(await page.locator("details.step[open]").count()).toBe(1);
    expect(await page.textContent("details.step[open]")).toContain("command exited with code 3");

    const path = join(shots, "parallel-rescue-retry.png");
    const png = await page.screenshot({ path, fullPage: true });
    console.log(
      `report-browser: screenshot of a run with parallel steps, a rescue and a retry: ${path}`,
    );
    const { colours, inked } = await pixels(page, png);
    expect(colours).toBeGreaterThan(50);
    expect(inked).toBeGreaterThan(0.04);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("renders a 20-host fleet run: a bar per host and step, the slow and failed hosts visible", async () => {
    // 20 inventory hosts reached with `ansible_connection=local`: a real fleet run (per-host
    // plans, host stats, failed-hosts) that needs no sshd; the SSH side is fleet-cli's.
    const hosts = Array.from({ length: 20 }, (_, i) => `web${String(i + 1).padStart(2, "0")}`);
    const dir = project({
      "hosts.ini": `[web]\n${hosts.map((h) => `${h} ansible_connection=local`).join("\n")}\n`,
      "site.yml": `hosts: web
steps:
  - name: fetch
    shell: sleep 0.{{ inventory_hostname[-1] }}
  - name: install
    shell: "test {{ inventory_hostname }} != web07"
  - name: restart
    shell: sleep 0.1
`,
    });
    const env = { CAIRN_STATE_DIR: join(dir, "state") };
    const run = cairn(
      [
        "run",
        "site.yml",
        "-i",
        "hosts.ini",
        "--forks",
        "20",
        "--jobs",
        "20",
        "--report",
        "fleet.html",
      ],
      {
        cwd: dir,
        env,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("1 failed host: retry them with --limit @");
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, "fleet.html")).href);
    const bars = await page.$$eval("#timeline g.bar", (gs) =>
      gs.map((g) => ({ id: g.getAttribute("data-step")!, cls: g.getAttribute("class")! })),
    );
    expect(bars).toHaveLength(60);
    expect(bars.find((b) => b.id === "web07/install")!.cls).toMatch(/\bs-failed\b/);
    expect(bars.find((b) => b.id === "web07/restart")!.cls).toMatch(/\bs-blocked\b/);
    await page.fill("#filter", "web07");
    expect(await page.locator("#steps tbody tr:not(.spacer)").count()).toBe(3);
    await page.fill("#filter", "");
    const path = join(shots, "fleet-20-hosts.png");
    const png = await page.screenshot({ path, fullPage: true });
    console.log(`report-browser: screenshot of a 20-host fleet run: ${path}`);
    const { colours, inked } = await pixels(page, png);
    expect(colours).toBeGreaterThan(50);
    expect(inked).toBeGreaterThan(0.04);
    await page.close();
  });

  it("renders a 10,000-step run's report (size and load time printed)", async () => {
    const dir = project({
      "site.yml": `steps:
  - name: "item {{ item }}"
    print: "{{ item }}"
    with_items: "{{ range(10000) | list }}"
    parallel: 8
`,
    });
    const env = { CAIRN_STATE_DIR: join(dir, "state") };
    expect(cairn(["run", "site.yml", "--json"], { cwd: dir, env }).code).toBe(0);
    const started = performance.now();
    expect(cairn(["report", "--last", "-o", "big.html"], { cwd: dir, env }).code).toBe(0);
    const renderMs = performance.now() - started;
    const size = statSync(join(dir, "big.html")).size;

    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(pathToFileURL(join(dir, "big.html")).href, { waitUntil: "load" });
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    await page.fill("#filter", "item 99");
    const filterMs = performance.now() - t1;
    const t2 = performance.now();
    await page.mouse.wheel(0, 20_000);
    await page.evaluate("new Promise((r) => requestAnimationFrame(r))");
    const scrollMs = performance.now() - t2;
    console.log(
      `report-browser: 10,000 steps: ${(size / 1024 / 1024).toFixed(1)} MiB, rendered by cairn in ${Math.round(renderMs)} ms, loaded by Chromium in ${Math.round(loadMs)} ms, filtered in ${Math.round(filterMs)} ms, scrolled a frame in ${Math.round(scrollMs)} ms`,
    );
    expect(await page.locator("#timeline g.bar").count()).toBe(10_000);
    // item 99, 990..999, 9900..9999; only the rows in view are drawn.
    expect(await page.textContent("#shown")).toBe("111");
    const drawn = await page.locator("#steps tbody tr:not(.spacer)").count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(111);
    await page.screenshot({ path: join(shots, "ten-thousand-steps.png") });
    expect(size).toBeLessThan(30 * 1024 * 1024);
    expect(loadMs).toBeLessThan(60_000);
    await page.close();
  }, 180_000);
});

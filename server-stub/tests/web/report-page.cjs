// The venue code's web report page in a real browser (Debian's headless Chromium, driven by
// playwright-core): a resident opens the code's URL, reports with a photo, gets the report
// number and the status link; the report reaches the grid (checked through the API) without the
// phone number; a forged code gets an error page; the sixth report in an hour and a stopped
// server each show a clear failure; nothing is ever kept in browser storage (R11).
//
// Run by scripts/test-web: node report-page.cjs SERVER_BINARY PHOTO CHROMIUM
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { chromium } = require('playwright-core');

const [serverBinary, photo, chromiumPath] = process.argv.slice(2);
// Set WEB_SCREENSHOTS=DIR to keep a screenshot of each page the test reaches.
const shots = process.env.WEB_SCREENSHOTS;

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAILED - ${name}: ${error && error.stack ? error.stack : error}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Starts server-stub and resolves with its URL, the demo codes and the demo venue's URL. */
function startServer() {
  const child = spawn(serverBinary, ['--memory', '--seed-demo', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const info = { child, codes: {} };
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('server-stub did not start')), 30000);
    lines.on('line', (line) => {
      const words = line.split(' ');
      if (line.startsWith('listening on ')) info.url = line.slice('listening on '.length);
      if (words[0] === 'enroll') info.codes[words[2]] = words[words.length - 1];
      if (words[0] === 'venue') {
        info.venueUrl = words[2];
        clearTimeout(timer);
        resolve(info);
      }
    });
    child.on('exit', (code) => reject(new Error(`server-stub exited with ${code}`)));
  });
}

async function api(server, method, route, token, body) {
  const response = await fetch(server.url + route, {
    method,
    headers: Object.assign(
      { 'content-type': 'application/json' },
      token ? { authorization: `Bearer ${token}` } : {},
    ),
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}

/** Everything the page could have kept in the browser. */
async function storage(page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexed: (await indexedDB.databases()).length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).length,
    cookies: document.cookie.length,
  }));
}

function assertEmpty(kept) {
  for (const [where, count] of Object.entries(kept)) {
    assert(count === 0, `something is kept in ${where}: ${JSON.stringify(kept)}`);
  }
}

async function fill(page, description) {
  await page.selectOption('select[name=category]', 'e_bike');
  await page.fill('textarea[name=description]', description);
}

async function main() {
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gridpatrol-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  let reportId;
  try {
    await check('the code URL opens the report form for its venue', async () => {
      const response = await page.goto(server.venueUrl);
      assert(response.status() === 200, `status ${response.status()}`);
      assert((await page.title()).includes('隐患举报'), await page.title());
      assert((await page.textContent('.venue')).includes('老北京炸酱面馆'), 'venue name');
      await shot(page, 'form');
      const capture = await page.getAttribute('input[name=photo]', 'capture');
      assert(capture === 'environment', `capture=${capture}`);
    });

    await check('a report with a photo is sent at once and numbered', async () => {
      await fill(page, '后门楼道里有电动车在充电，堵住了出口');
      await page.setInputFiles('input[name=photo]', photo);
      await page.fill('input[name=phone]', '13912345678');
      await page.click('#send');
      await page.waitForSelector('#done:not([hidden])', { timeout: 10000 });
      await shot(page, 'sent');
      reportId = (await page.textContent('#report-id')).trim();
      assert(/^[0-9a-f-]{36}$/.test(reportId), `report number ${reportId}`);
      const link = await page.getAttribute('#status-link', 'href');
      assert(link.startsWith(`/r/${reportId}?k=`), link);
      assertEmpty(await storage(page));
      await page.click('#status-link');
      await page.waitForLoadState();
      await shot(page, 'status');
      const text = await page.textContent('main');
      assert(text.includes('已派发到网格') && text.includes(reportId), text);
    });

    await check('the report reached the grid, with its photo and without the phone', async () => {
      const enrolled = await api(server, 'POST', '/v1/enroll', null, {
        code: server.codes['u-zhangwei'], device_id: 'web-test-phone', device_name: null,
      });
      assert(enrolled.status === 200, JSON.stringify(enrolled.body));
      const changes = await api(server, 'GET', '/v1/changes?limit=1000', enrolled.body.token);
      const report = changes.body.changes.find(
        (c) => c.type === 'report' && c.data.report_id === reportId);
      assert(report, 'the report is in the worker\'s feed');
      assert(report.data.grid === '劲松三区-03' && report.data.venue_id === 'CY-JS-001',
        JSON.stringify(report.data));
      assert(report.data.photos.length === 1, 'one photo');
      assert(!JSON.stringify(changes.body).includes('13912345678'), 'the phone number leaked');
    });

    await check('a forged code gets a clear error page', async () => {
      const token = server.venueUrl.split('/q/')[1];
      const last = token[token.length - 1] === 'A' ? 'B' : 'A';
      const response = await page.goto(`${server.url}/q/${token.slice(0, -1)}${last}`);
      assert(response.status() === 404, `status ${response.status()}`);
      await shot(page, 'forged');
      assert((await page.textContent('h1')).includes('二维码无效'), await page.textContent('h1'));
    });

    await check('the sixth report in an hour shows the rate limit, not a queue', async () => {
      for (let n = 2; n <= 6; n += 1) {
        await page.goto(server.venueUrl);
        await fill(page, `第 ${n} 次举报`);
        await page.click('#send');
        if (n < 6) {
          await page.waitForSelector('#done:not([hidden])', { timeout: 10000 });
        }
      }
      await page.waitForSelector('#status.error', { timeout: 10000 });
      const text = await page.textContent('#status');
      assert(text.includes('每小时最多') && text.includes('没有保存'), text);
      assert(await page.isVisible('#report'), 'the form stays for a retry');
      assertEmpty(await storage(page));
    });

    await check('with the server gone the page says the report was not sent', async () => {
      await page.goto(server.venueUrl);
      await fill(page, '服务器停了也要说清楚');
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
      await page.click('#send');
      await page.waitForSelector('#status.error', { timeout: 10000 });
      const text = await page.textContent('#status');
      await shot(page, 'offline');
      assert(text.includes('网络连接失败') && text.includes('没有提交'), text);
      assert(await page.isEnabled('#send'), 'the button is back for a retry');
      assertEmpty(await storage(page));
    });
  } finally {
    await context.close();
    server.child.kill('SIGTERM');
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.log(`FAILED - ${error && error.stack ? error.stack : error}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});

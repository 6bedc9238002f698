// Opens Gordo's Orleans dashboard in Debian's headless Chromium as an operator would: signs in with the
// admin key on /admin/login, follows the redirect to /admin/dashboard/ (the overview), opens its Silos
// page, waits until it shows every expected text (silo addresses), and prints
// {"status", "url", "overview", "found", "text"} as JSON.
//
//   node dashboard.mjs BASE_URL ADMIN_KEY EXPECTED...
import { chromium } from 'playwright-core';

const [base, key, ...expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/admin/login`);
  await page.fill('input[name=key]', key);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  const url = page.url();
  await page.waitForSelector('text=ACTIVE SILOS', { timeout: 30000 });
  // The overview draws its counters before its first poll of the cluster answers: with
  // DASHBOARD_ACTIVE_SILOS set, wait (up to 30 s) until it shows that many.
  let overview = await page.evaluate(() => document.body.innerText);
  const silos = process.env.DASHBOARD_ACTIVE_SILOS;
  for (const until = Date.now() + 30000; silos && Date.now() < until;) {
    if (new RegExp(`ACTIVE SILOS\\s+${silos}\\b`).test(overview)) break;
    await page.waitForTimeout(250);
    overview = await page.evaluate(() => document.body.innerText);
  }
  await page.click('a:has-text("Silos")');
  let text = '';
  const deadline = Date.now() + 30000;
  let found = [];
  while (Date.now() < deadline) {
    text = await page.evaluate(() => document.body.innerText);
    found = expected.filter((e) => text.includes(e));
    if (found.length === expected.length) break;
    await page.waitForTimeout(250);
  }
  console.log(JSON.stringify({ status: response?.status() ?? 0, url, overview, found, text }));
} finally {
  await browser.close();
}

/**
 * End to end: the back office's CSV import as an operator uses it — preview with a column mapping and per-row
 * problems, the import itself, then the rows that failed, listed and downloadable — on the real stack (`npm start`),
 * in Chromium, on a desktop and on a phone. The planning module is also checked on its own.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Customer } from '../../src/api/types.js';
import { autoTarget, importFailures, planImport, rebuildCsv } from '../../demo/shop/import-plan.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/chromium.js';
import { emulatorControl, emulatorGet, startDemoStack, type DemoStack } from '../support/demo-stack.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** Two clean rows, then a missing id, a malformed email, an impossible date, a repeated id, and quoting. */
const HEADER = ['source_id', 'Full Name', 'E-mail', 'City', 'Zip', 'Birthday', 'tier'];
const ROWS = [
  ['imp-1', 'Ada One', 'ada@example.com', 'Berlin', '10115', '1990-01-31', 'gold'],
  ['imp-2', 'Bo Two', 'bo@example.com', 'Paris', '75001', '', 'standard'],
  ['', 'No Id', 'noid@example.com', 'Rome', '', '', ''],
  ['imp-4', 'Bad Mail', 'not-an-email', 'Madrid', '', '', ''],
  ['imp-5', 'Bad Date', 'five@example.com', 'Lisbon', '', '1990-02-30', ''],
  ['imp-1', 'Ada Again', 'ada2@example.com', 'Berlin', '', '', ''],
  ['imp-7', 'Quoted, Name', 'seven@example.com', 'New York', '10001', '', 'silver'],
];
const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const CSV = [HEADER, ...ROWS].map((row) => row.map(quote).join(',')).join('\n');

let stack: DemoStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[] = [];

async function openPage(viewport = DESKTOP): Promise<void> {
  await context?.close();
  context = await browser.newContext({ viewport });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
}

async function openBackOffice(query = ''): Promise<void> {
  await page.goto(`${stack.demoUrl}/backoffice.html${query}`);
  await page.locator('#customers tbody tr').first().waitFor();
}

async function chooseFile(text = CSV, name = 'customers.csv'): Promise<void> {
  await page.setInputFiles('#csv-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.locator('#import-preview').waitFor();
}

const mappingOf = (header: string) => page.getByLabel(`Import column “${header}” as`);
const getCustomer = (id: string) => emulatorGet<Customer>(stack, `/v1/customers/${encodeURIComponent(id)}`);

async function importAndWait(): Promise<void> {
  await page.getByRole('button', { name: /^Import \d+ row\(s\)$/ }).click();
  await page
    .locator('#import-message')
    .getByText(/Import (done|failed)/)
    .waitFor({ timeout: 60_000 });
}

describe('the CSV import', () => {
  before(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    assert.equal(await stack?.stop(), 0, stack?.output());
  });

  beforeEach(async () => {
    await emulatorControl(stack, 'POST', 'reset');
    problems = [];
    await openPage();
  });

  afterEach(() => {
    assert.deepEqual(problems, [], 'the page threw');
  });

  test('the preview shows the first rows, maps columns from their headers and lists the rows that will fail', async () => {
    await openBackOffice();
    await chooseFile();
    const expected = {
      source_id: 'source_id',
      'Full Name': 'name',
      'E-mail': 'email',
      City: 'address_city',
      Zip: 'address_postal_code',
      Birthday: 'birthdate',
      tier: 'metadata',
    };
    for (const [header, target] of Object.entries(expected)) {
      assert.equal(await mappingOf(header).inputValue(), target, `column ${header}`);
    }
    const rows = page.locator('#import-rows tbody tr');
    assert.equal(await rows.count(), 5, 'the first five rows');
    assert.match((await rows.nth(0).textContent()) ?? '', /Ada One.*ada@example\.com.*Berlin/);
    assert.deepEqual(await page.locator('#import-rows thead th').allTextContents(), [
      'Row',
      'Source id',
      'Name',
      'Email',
      'City',
      'Postal code',
      'Birthdate',
      'Metadata “tier”',
      'Problems',
    ]);
    assert.match((await rows.nth(3).locator('td').last().textContent()) ?? '', /email: must be a valid email/);

    assert.equal(
      await page.locator('#import-summary').textContent(),
      '7 row(s) in customers.csv: 4 will fail, listed below.',
    );
    const listed = await page.locator('#import-problem-list li').allTextContents();
    assert.equal(listed.length, 4);
    assert.match(listed[0]!, /^Row 3: source_id: missing/);
    assert.match(listed[1]!, /^Row 4 \(imp-4\): email: must be a valid email address/);
    assert.match(listed[2]!, /^Row 5 \(imp-5\): birthdate: must be a valid date/);
    assert.match(listed[3]!, /^Row 6 \(imp-1\): source_id: repeats row 1/);
    assert.equal(await page.getByRole('button', { name: 'Import 5 row(s)' }).isEnabled(), true);
    assert.equal((await getCustomer('imp-1')).status, 404, 'nothing is imported by a preview');
  });

  test('a column mapped to a taken field is flagged on its select and blocks the import', async () => {
    await openBackOffice();
    await chooseFile();
    await mappingOf('City').focus();
    await mappingOf('City').selectOption('email');
    await page.locator('#import-map-3-problem').waitFor();
    const select = mappingOf('City');
    assert.equal(await select.getAttribute('aria-invalid'), 'true');
    assert.equal(await select.getAttribute('aria-describedby'), 'import-map-3-problem');
    assert.equal(await page.locator('#import-map-3-problem').textContent(), 'Column 3 is already mapped to Email.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-map-3', 'focus stays on the select');
    assert.equal(await page.getByRole('button', { name: 'Import 5 row(s)' }).isDisabled(), true);
  });

  test('the mapping decides what is imported', async () => {
    await openBackOffice();
    await chooseFile();
    await mappingOf('Full Name').selectOption('description');
    await page.locator('#import-rows thead th', { hasText: 'Description' }).waitFor();
    await mappingOf('tier').selectOption('skip');
    await page.locator('#import-rows thead th', { hasText: 'Metadata' }).waitFor({ state: 'detached' });
    await importAndWait();

    const { status, body } = await getCustomer('imp-7');
    assert.equal(status, 200);
    assert.equal(body.description, 'Quoted, Name');
    assert.equal(body.name ?? null, null, 'the name column went to the description');
    assert.equal(body.address?.city, 'New York');
    assert.equal(body.address?.postal_code, '10001');
    assert.equal(body.metadata?.tier, undefined, 'the skipped column is not imported');
  });

  test('after the import the failed rows are listed with their reason and download as CSV', async () => {
    await openBackOffice();
    await chooseFile();
    await importAndWait();
    await page
      .locator('#import-message')
      .getByText('Import done: 3 customer(s) imported, 4 row(s) not imported.')
      .waitFor();

    const ada = await getCustomer('imp-1');
    assert.equal(ada.body.name, 'Ada One', 'the first of two rows with one id is the one imported');
    assert.equal(ada.body.birthdate, '1990-01-31');
    assert.equal(ada.body.metadata?.tier, 'gold');
    assert.equal((await getCustomer('imp-4')).status, 404);

    const rows = page.locator('#import-failures tbody tr');
    assert.equal(await rows.count(), 4);
    const table = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => td.textContent)),
    );
    assert.deepEqual(
      table.map(([row, sourceId]) => [row, sourceId]),
      [
        ['3', ''],
        ['4', 'imp-4'],
        ['5', 'imp-5'],
        ['6', 'imp-1'],
      ],
    );
    // Rows 4 and 5 went to Voucherify: the reason is its report's, mapped back to the operator's row numbers.
    assert.equal(table[1]![2], "email: must be a valid email address (actual value is 'not-an-email')");
    assert.match(table[2]![2]!, /^birthdate: must be a valid date in format YYYY-MM-DD/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-report-title');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these rows as CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'customers-failed-rows.csv');
    const records: string[][] = parse(await readFile((await download.path())!, 'utf8'));
    assert.deepEqual(records[0], [...HEADER, 'Reason']);
    assert.deepEqual(
      records.slice(1).map((record) => record.slice(0, -1)),
      [ROWS[2], ROWS[3], ROWS[4], ROWS[5]],
    );
    assert.equal(records[2]!.at(-1), table[1]![2]);
  });

  test('the 1,000-row sample imports straight away with the same report', async () => {
    await openBackOffice();
    await page.getByRole('button', { name: 'Import a 1,000-row sample' }).click();
    await page
      .locator('#import-message')
      .getByText('Import done: 1,000 customer(s) imported, 0 row(s) not imported.')
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#import-progress').evaluate((bar: HTMLProgressElement) => bar.value), 100);
    assert.equal(await page.locator('#import-report').isHidden(), true, 'no failed row to list');
  });

  describe('is axe-clean and fits a phone', () => {
    for (const [device, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      for (const lang of ['en', 'ar']) {
        test(`${device}, ${lang}, light and dark: the preview with problems, then the report`, async () => {
          await openPage(viewport);
          for (const theme of ['light', 'dark']) {
            await emulatorControl(stack, 'POST', 'reset');
            const where = `${device} ${lang} ${theme}`;
            await openBackOffice(`?lang=${lang}&theme=${theme}`);
            await chooseFile();
            await mappingOf('City').selectOption('email');
            await page.locator('#import-map-3-problem').waitFor();
            assert.deepEqual(await axeViolations(page), [], `axe on the preview (${where})`);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= viewport.width, `${width} px wide at ${viewport.width} px (${where})`);

            await mappingOf('City').selectOption('address_city');
            await page.locator('#import-map-3-problem').waitFor({ state: 'detached' });
            await importAndWait();
            await page.locator('#import-failures tbody tr').first().waitFor();
            assert.deepEqual(await axeViolations(page), [], `axe on the report (${where})`);
            const after = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(after <= viewport.width, `${after} px wide at ${viewport.width} px (${where})`);
          }
        });
      }
    }
  });
});

describe('planning an import', () => {
  test('headers map to Voucherify fields by name or alias, anything else to metadata, a blank one is skipped', () => {
    assert.deepEqual(
      ['Source_id', 'Address_City', 'postcode', 'Date of birth', 'Phone Number', 'loyalty tier', ' '].map(autoTarget),
      ['source_id', 'address_city', 'address_postal_code', 'birthdate', 'phone', 'metadata', 'skip'],
    );
  });

  test('a metadata key Voucherify would read as a standard column is a mapping problem', () => {
    const plan = planImport('source_id,country\na,PL\n', ['source_id', 'metadata']);
    assert.match(plan.columnProblems[1]!, /"country" is a standard column/);
  });

  test('the rebuilt file has Voucherify headers, mapped columns only and the rows not held back', () => {
    const plan = planImport(CSV, ['source_id', 'skip', 'email', 'address_city', 'skip', 'skip', 'metadata']);
    const { csv, sentRows } = rebuildCsv(plan);
    assert.deepEqual(sentRows, [1, 2, 4, 5, 7]);
    assert.equal(csv.split('\n')[0], 'Source_id,Email,Address_City,tier');
    assert.equal(csv.split('\n')[5], 'imp-7,seven@example.com,New York,silver');
  });

  test("the import report's row numbers are mapped back to the operator's rows", () => {
    const plan = planImport(CSV);
    const failures = importFailures(plan, { failed: [{ source_id: 'imp-7', row: 5, reason: 'rejected' }] });
    assert.deepEqual(
      failures.map(({ row, reason }) => [row, reason.split(':')[0]]),
      [
        [3, 'source_id'],
        [6, 'source_id'],
        [7, 'rejected'],
      ],
    );
  });

  test('a file that is not CSV, or a mapping of the wrong length, is refused with a reason', () => {
    assert.throws(() => planImport('a,"b\n1,2'), /not valid CSV/);
    assert.throws(() => planImport(''), /empty/);
    assert.throws(() => planImport('a,b\n1,2', ['skip']), /one target for each/);
    assert.throws(() => planImport('a,b\n1,2', ['skip', 'nowhere']), /unknown target/);
  });
});

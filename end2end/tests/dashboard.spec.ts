import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn } from './helpers';

// Accounts no other browser test signs in with: five wrong passwords lock them for a while.
const TARGETS = [
  'ventas.supervisor',
  'marketing.supervisor',
  'operaciones.supervisor',
  'contabilidad.ejecutivo',
  'contabilidad.gerente',
  'direccion.director',
];

async function openDashboard(page: Page) {
  await signIn(page, 'admin');
  // The administrators' landing page is the dashboard.
  await expect(page.getByTestId('overall')).toBeVisible();
  await page.locator('body[data-hydrated]').waitFor();
}

test('the dashboard changes in front of the administrator when alerts are raised', async ({ page, request }) => {
  await openDashboard(page);
  const open = page.getByTestId('count-open');
  const before = Number(await open.textContent());
  const overallBefore = await page.getByTestId('overall').getAttribute('data-overall');
  // A marker that a reload would wipe out.
  await page.evaluate(() => ((window as any).stillHere = true));

  for (const username of TARGETS) {
    for (let i = 0; i < 5; i++) {
      // From an address of its own, so the other tests' failures never add up to
      // credential stuffing from one address.
      const res = await request.post('/api/login', {
        form: { username, password: 'not-the-password' },
        headers: { 'x-forwarded-for': '192.0.2.50' },
      });
      expect(res.status()).toBe(401);
    }
  }

  // Without a reload: the count, the overall state and the recent list follow (at least
  // one alert per account; the off-hours rule may add the administrator's own sign-in).
  await expect(async () => {
    expect(Number(await open.textContent())).toBeGreaterThanOrEqual(before + TARGETS.length);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('overall')).not.toHaveAttribute('data-overall', overallBefore ?? '');
  await expect(page.getByTestId('recent-severe-list')).toContainText('direccion.director');
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);
  // The bell counted them too.
  await expect(page.getByTestId('bell-count')).toBeVisible();

  // The charts are SVG with accessible text, and their data is there as a table.
  for (const key of ['trend', 'hours', 'exports']) {
    const figure = page.getByTestId(`chart-${key}`);
    await expect(figure.locator('svg[role="img"] > title')).toHaveCount(1);
    await expect(figure.locator('figcaption')).not.toBeEmpty();
    await figure.getByText('Ver los datos').click();
    await expect(figure.locator('table tbody tr').first()).toBeVisible();
  }
  await expect(page.getByTestId('chart-trend').locator('figcaption')).toContainText('alertas en 7 días');
});

test('the dashboard is usable at 390 px and has no serious accessibility violations', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDashboard(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

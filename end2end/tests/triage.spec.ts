import { test, expect, Page } from '@playwright/test';
import { PASSWORD, signIn } from './helpers';

/** Opens `path` and waits until the page is interactive. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator('body[data-hydrated]').waitFor();
}

test('an employee answers "No fui yo" and the administrator sees the alert raised to HIGH', async ({ page, request, browser }) => {
  // A sign-in from the usual address, then one from an address never seen for the account.
  const usual = await request.post('/api/login', {
    form: { username: 'ventas.asistente', password: PASSWORD },
    headers: { 'x-forwarded-for': '198.51.100.7' },
  });
  expect(usual.status()).toBe(200);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.45' });
  await signIn(page, 'ventas.asistente');

  // "Mi uso" asks about it within seconds of detection. Both sign-ins are new addresses:
  // the first raises the alert, the second repeats it with its address — wait for that
  // one too (detection runs off the request path, so a page loaded in between shows the
  // first address).
  const row = page.getByTestId('my-alerts').locator('tr', { hasText: 'Ubicación inusual' });
  await expect(async () => {
    await open(page, '/mi-uso');
    await expect(row.getByRole('button', { name: 'No fui yo' })).toBeVisible({ timeout: 1_000 });
    await expect(row).toContainText('203.0.113.45', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await row.getByRole('button', { name: 'No fui yo' }).click();
  await expect(row.getByTestId('my-answer')).toContainText('no fue usted');
  await expect(row.getByRole('button', { name: 'No fui yo' })).toHaveCount(0);

  // The administrator finds it raised to HIGH, with the answer on the alert.
  const admin = await browser.newPage();
  await signIn(admin, 'admin');
  await open(admin, '/alertas?kind=UNUSUAL_LOCATION&username=ventas.asistente');
  const listed = admin.getByTestId('alert-row').first();
  await expect(listed.locator('[data-severity]')).toHaveAttribute('data-severity', 'HIGH');
  await expect(listed.locator('[data-severity]')).toHaveText('Alta');
  await listed.getByRole('link', { name: 'Ubicación inusual' }).click();
  await expect(admin).toHaveURL(/\/alertas\/\d+$/);
  await expect(admin.getByTestId('owner-answer')).toContainText('No fui yo');
  await expect(admin.getByTestId('history-entry').filter({ hasText: 'ventas.asistente' })).toContainText('MEDIUM → HIGH');
  await admin.close();
});

test('the administrator triages a brute-force alert from the list to its resolution', async ({ page, request }) => {
  for (let i = 0; i < 5; i++) {
    const res = await request.post('/api/login', {
      form: { username: 'ventas.asistente', password: 'not-the-password' },
    });
    expect(res.status()).toBe(401);
  }
  await signIn(page, 'admin');
  await open(page, '/alertas');

  // Filter by kind and user: the filter goes into the address, to be shared.
  // (New ones only: the demo's history holds an older, resolved one for her.)
  await page.getByLabel('Tipo').selectOption('BRUTE_FORCE');
  await page.locator('select[name="state"]').selectOption('NUEVA');
  await page.getByLabel('Usuario').fill('ventas.asistente');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/kind=BRUTE_FORCE/);
  await expect(page).toHaveURL(/username=ventas.asistente/);
  const row = page.getByTestId('alert-row').first();
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('alert-row')).toHaveCount(1);
  await expect(row).toHaveAttribute('data-kind', 'BRUTE_FORCE');
  await expect(page.getByTestId('state-counts')).toContainText('Nueva');

  await row.getByRole('link', { name: 'Fuerza bruta' }).click();
  await expect(page).toHaveURL(/\/alertas\/\d+$/);
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('alert-description')).toContainText('ventas.asistente');
  // The failed sign-ins are on the timeline, each a link into the audit explorer.
  const failures = page.locator('[data-testid="timeline-event"][data-action="sign_in_failed"]');
  await expect(failures).toHaveCount(5);
  await expect(failures.first().getByRole('link')).toHaveAttribute('href', /\/auditoria\/\d+$/);

  await page.getByTestId('assign-me').click();
  await expect(page.getByTestId('assignee')).toHaveText('admin');

  // Resolving opens the dialog; it refuses an empty note.
  await page.getByTestId('resolve').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Acción tomada').selectOption('contacted_user');
  await dialog.getByRole('button', { name: 'Confirmar' }).click();
  await expect(dialog.getByTestId('dialog-error')).toContainText('al menos 10');
  await expect(dialog).toBeVisible();
  const note = 'Llamé a la asistente: olvidó su clave. <b>sin riesgo</b>';
  await dialog.getByLabel(/Notas/).fill(note);
  await dialog.getByRole('button', { name: 'Confirmar' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.alert-head [data-state]')).toHaveAttribute('data-state', 'RESUELTA');

  // The history: raised, assigned, resolved with the note (as text, never markup).
  const history = page.getByTestId('history');
  await expect(history.locator('[data-action="alert_assigned"]')).toContainText('admin');
  const resolved = history.locator('[data-action="alert_state_changed"]').last();
  await expect(resolved).toContainText('Resuelta');
  await expect(resolved).toContainText('Se contactó al usuario');
  await expect(resolved.locator('blockquote')).toHaveText(note);
  await expect(resolved.locator('b')).toHaveCount(0);
});

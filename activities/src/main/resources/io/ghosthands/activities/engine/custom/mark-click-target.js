(phrase) => {
  // Marks the visible link or button whose words are the phrase (exactly, ignoring case and spacing;
  // else the shortest one containing it) so Playwright can click it. Links that would open a new tab
  // are made to open here, so the page reached is the one the engine summarises.
  const norm = s => (s == null ? '' : String(s)).replace(/\s+/g, ' ').trim().toLowerCase();
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  for (const old of document.querySelectorAll('[data-gh-click-target]')) old.removeAttribute('data-gh-click-target');
  const wanted = norm(phrase);
  const candidates = Array.from(document.querySelectorAll('a, button, [role="button"], [role="link"], [role="tab"],'
    + ' [role="menuitem"], input[type="submit"], input[type="button"], summary'))
    .filter(visible)
    .map(el => ({ el, text: norm(el.tagName === 'INPUT' ? el.value : (el.innerText || el.getAttribute('aria-label') || el.title)) }))
    .filter(c => c.text);
  let pick = candidates.find(c => c.text === wanted);
  let match = 'exact';
  if (!pick) {
    const containing = candidates.filter(c => c.text.includes(wanted) && c.text.length <= wanted.length + 40)
      .sort((a, b) => a.text.length - b.text.length);
    pick = containing[0];
    match = 'contains';
  }
  if (!pick) return null;
  const link = pick.el.closest('a');
  if (link && link.target && link.target !== '_self') link.target = '_self';
  pick.el.setAttribute('data-gh-click-target', '1');
  return { text: (pick.el.tagName === 'INPUT' ? pick.el.value : pick.el.innerText || '').replace(/\s+/g, ' ').trim(),
    tag: pick.el.tagName.toLowerCase(), match };
}

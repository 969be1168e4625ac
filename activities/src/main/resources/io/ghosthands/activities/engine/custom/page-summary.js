() => {
  // What CustomEngine reports about the page it ended on.
  const norm = s => (s == null ? '' : String(s)).replace(/\s+/g, ' ').trim();
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const body = document.body ? norm(document.body.innerText) : '';
  const main = document.querySelector('main, [role="main"]') || document.querySelector('article');
  const mainText = main ? norm(main.innerText) : '';
  return {
    title: norm(document.title),
    url: window.location.href,
    // the main region when the page marks one with real content, else the whole body
    text: (mainText.length >= 100 ? mainText : body).slice(0, 2000),
    headings: Array.from(document.querySelectorAll('h1, h2, h3')).filter(visible)
      .map(h => norm(h.innerText)).filter(Boolean).slice(0, 20),
    links: document.querySelectorAll('a[href]').length,
  };
}

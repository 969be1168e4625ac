() => {
  // Collects, in one evaluation, everything ScrapeEngine reads from a job posting page. The
  // decisions (which source wins, how values are cleaned) are made in Java, where they are testable.
  const norm = s => (s == null ? '' : String(s)).replace(/\s+/g, ' ').trim();
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const all = sel => { try { return Array.from(document.querySelectorAll(sel)); } catch (e) { return []; } };
  const textOf = el => (el.innerText !== undefined ? el.innerText : el.textContent) || '';

  const meta = {};
  for (const m of all('meta[content]')) {
    const key = (m.getAttribute('property') || m.getAttribute('name') || '').toLowerCase().trim();
    if (key && !(key in meta)) meta[key] = m.getAttribute('content');
  }

  const ldJson = all('script[type*="ld+json" i]').map(s => s.textContent || '');

  // schema.org microdata, read into the same shape as JSON-LD so one reader handles both
  const itemValue = (el, depth) => {
    if (el.hasAttribute('itemscope')) return depth < 6 ? readItem(el, depth + 1) : null;
    if (el.hasAttribute('content')) return el.getAttribute('content');
    switch (el.tagName) {
      case 'A': case 'AREA': case 'LINK': return el.href;
      case 'IMG': case 'SOURCE': case 'IFRAME': case 'EMBED': return el.src;
      case 'TIME': return el.getAttribute('datetime') || el.textContent;
      case 'DATA': case 'METER': return el.getAttribute('value');
      default: return textOf(el);
    }
  };
  const readItem = (scope, depth) => {
    const item = {};
    const type = scope.getAttribute('itemtype');
    if (type) item['@type'] = type.trim().split(/\s+/).map(t => t.replace(/^https?:\/\/schema\.org\//i, ''));
    for (const el of scope.querySelectorAll('[itemprop]')) {
      if (!el.parentElement || el.parentElement.closest('[itemscope]') !== scope) continue;
      const value = itemValue(el, depth);
      for (const name of el.getAttribute('itemprop').trim().split(/\s+/)) {
        if (!(name in item)) item[name] = value;
        else if (Array.isArray(item[name]) && name !== '@type') item[name].push(value);
        else item[name] = [item[name], value];
      }
    }
    return item;
  };
  const microdata = all('[itemscope][itemtype*="JobPosting" i]').slice(0, 5).map(el => readItem(el, 0));

  // the first visible, short enough text for a list of selectors, in order of trust
  const firstText = (selectors, maxLen) => {
    for (const sel of selectors) {
      for (const el of all(sel)) {
        const t = norm(textOf(el));
        if (t && t.length <= maxLen && visible(el)) return t;
      }
    }
    return null;
  };
  const firstBlock = (selectors, minLen) => {
    for (const sel of selectors) {
      for (const el of all(sel)) {
        const t = textOf(el);
        if (norm(t).length >= minLen && visible(el)) return t;
      }
    }
    return null;
  };

  const h1s = all('h1').filter(visible).map(el => norm(textOf(el))).filter(Boolean).slice(0, 5);
  const h2s = all('h2').filter(visible).map(el => norm(textOf(el))).filter(Boolean).slice(0, 3);
  const atsTitle = firstText(['[data-automation-id="jobPostingHeader"]', '.posting-headline h2', '.app-title',
    '[data-testid="job-title" i]', '[data-ui="job-title"]', 'h1.job-title', 'h1[class*="title" i]', '.job-title',
    '.job__title', '.jobTitle', '[class*="job-title" i]', '[class*="jobtitle" i]', '[class*="posting-title" i]'], 150);
  const company = firstText(['[data-automation-id="company"]', '[data-testid*="company-name" i]', '.company-name',
    '.companyName', '[class*="company-name" i]', '[class*="companyName" i]', '[class*="employer-name" i]',
    '.company', '.employer'], 100);
  const locationText = firstText(['[data-automation-id="locations"]', '.posting-categories .location',
    '[data-testid*="location" i]', '.job-location', '.job__location', '.location', '[class*="job-location" i]',
    '[class*="jobLocation" i]', '[class*="joblocation" i]', '[class*="location" i]'], 120);
  const employmentType = firstText(['[data-automation-id="time"]', '.posting-categories .commitment', '.commitment',
    '.employment-type', '[class*="employment-type" i]', '[class*="employmentType" i]', '[class*="job-type" i]',
    '[class*="jobType" i]', '[data-testid*="employment" i]'], 60);
  const description = firstBlock(['[data-automation-id="jobPostingDescription"]', '#job-description',
    '#jobDescriptionText', '.job-description', '.job__description', '[class*="job-description" i]',
    '[class*="jobDescription" i]', '[data-testid*="description" i]', '.posting-page .section-wrapper', '.description',
    'article', 'main', '[role="main"]'], 80);
  const times = all('time[datetime]').filter(visible).map(t => ({ datetime: t.getAttribute('datetime'), text: norm(textOf(t)) }))
    .slice(0, 5);

  // apply controls: links and buttons whose words say "apply"
  const applyWords = /^(apply|apply now|apply here|apply online|apply today|apply for (this|the) (job|position|role|opening|vacancy)|apply (to|for) job|easy apply|quick apply|submit (your )?application|start (your )?application|i'?m interested|apply on company (site|website)|(jetzt )?bewerben|postuler|candidater|aplicar|solicitar)(?![a-z])/i;
  const controls = [];
  for (const el of all('a, button, [role="button"], [role="link"], input[type="submit"], input[type="button"]')) {
    const text = norm(el.tagName === 'INPUT' ? el.value : (textOf(el) || el.getAttribute('aria-label') || el.title));
    if (!text || text.length > 60 || !applyWords.test(text) || !visible(el)) continue;
    const link = el.closest('a[href]');
    const rawHref = link ? link.getAttribute('href') : (el.getAttribute('data-href') || el.getAttribute('data-url'));
    let href = null;
    if (rawHref && !/^\s*javascript:/i.test(rawHref)) {
      try { href = new URL(rawHref, document.baseURI).href; } catch (e) { href = null; }
    }
    const form = el.closest('form');
    let formAction = null;
    // a GET form leads to the application; a POST form is the application itself (this page)
    if (form && (el.tagName === 'BUTTON' || el.tagName === 'INPUT') && String(form.method).toLowerCase() === 'get') {
      try { formAction = new URL(form.getAttribute("action") || "", document.baseURI).href; } catch (e) { formAction = null; }
    }
    controls.push({ text, href, formAction, tag: el.tagName.toLowerCase() });
    if (controls.length >= 10) break;
  }

  const body = document.body ? textOf(document.body) : '';
  return {
    url: window.location.href,
    documentTitle: norm(document.title),
    meta,
    ldJson,
    microdata,
    dom: { h1s, h2s, atsTitle, company, location: locationText, employmentType, description, times, applyControls: controls },
    bodyText: body.length > 60000 ? body.slice(0, 60000) : body,
  };
}

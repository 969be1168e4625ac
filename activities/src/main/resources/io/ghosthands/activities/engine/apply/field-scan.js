// One pass over a document: every field a person could fill, the buttons, error messages and the
// facts the engine needs to tell pages apart. Elements are stamped (data-gh-field / data-gh-opt /
// data-gh-btn) so Java can act on them through Playwright locators. Returns a JSON string.
() => {
  const norm = s => (s || '').replace(/[\s\u00a0]+/g, ' ').trim();
  // Open shadow roots (web components, declarative <template shadowrootmode=open>) hold fields like
  // the light DOM: every query below runs over the document and each open root inside it.
  // Playwright's CSS locators pierce open roots, so the stamps work there as well.
  const roots = [];
  const collectRoots = root => {
    roots.push(root);
    for (const e of root.querySelectorAll('*')) if (e.shadowRoot) collectRoots(e.shadowRoot);
  };
  collectRoots(document);
  const deepAll = sel => roots.length === 1 ? Array.from(document.querySelectorAll(sel)) : roots.flatMap(r => Array.from(r.querySelectorAll(sel)));
  const byId = (el, id) => { const r = el.getRootNode(); return (r.getElementById ? r.getElementById(id) : null) || document.getElementById(id); };
  // document order across shadow trees: compare the hosts in the shared tree
  const hostChain = el => { const c = [el]; for (let r = el.getRootNode(); r && r.host; r = r.host.getRootNode()) c.unshift(r.host); return c; };
  const composedPrecedes = (a, b) => {
    if (a.getRootNode() === b.getRootNode()) return !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    const ca = hostChain(a), cb = hostChain(b);
    let i = 0;
    while (i < ca.length && i < cb.length && ca[i] === cb[i]) i++;
    if (i >= ca.length) return true; // a hosts b
    if (i >= cb.length) return false;
    const x = ca[i], y = cb[i];
    if (x.getRootNode() !== y.getRootNode()) return !!(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING);
    return !!(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING);
  };
  for (const e of deepAll('[data-gh-field],[data-gh-opt],[data-gh-btn]')) {
    e.removeAttribute('data-gh-field'); e.removeAttribute('data-gh-opt'); e.removeAttribute('data-gh-btn');
  }

  const shown = el => {
    if (!el || !el.isConnected || el.nodeType !== 1) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 3 || r.height < 3) return false;
    if (r.right + window.scrollX < 0 || r.bottom + window.scrollY < 0) return false;
    if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    return !el.closest('[aria-hidden=true], [inert]');
  };
  // custom-styled radios and checkboxes hide the native input and show their label instead
  const shownOrLabelled = el => shown(el) || Array.from(el.labels || []).some(shown)
    || (el.parentElement && el.parentElement.tagName === 'LABEL' && shown(el.parentElement));
  const disabled = el => el.disabled || el.getAttribute('aria-disabled') === 'true' || !!el.closest('fieldset[disabled]');

  const CONTROLS = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),'
    + ' select, textarea, [role=combobox], [aria-haspopup=listbox], [role=radio], [role=switch]';
  // A box that only keeps the state of Yes/No answer buttons beside it (Ashby-style toggles): out of
  // the tab order, its siblings are the question's real controls.
  const stateHolder = el => el.tagName === 'INPUT' && /^(checkbox|radio)$/i.test(el.type || '')
    && (el.getAttribute('tabindex') === '-1' || el.getAttribute('aria-hidden') === 'true') && !!el.parentElement
    && Array.from(el.parentElement.children).filter(c => c.matches('button, [role=button]')).length >= 2;
  const isControl = n => n.nodeType === 1 && n.matches(CONTROLS) && !stateHolder(n);
  const controlsIn = node => Array.from(node.querySelectorAll(CONTROLS)).filter(c => !stateHolder(c))
    .filter(c => c.type === 'file' || shown(c) || ((c.type === 'radio' || c.type === 'checkbox') && shownOrLabelled(c)));
  const NOT_TEXT = 'input, select, textarea, option, [role=listbox], [role=option], script, style, svg, noscript, button, [role=button], [hidden]';
  const textWithout = node => {
    if (!node) return '';
    const c = node.cloneNode(true);
    for (const n of c.querySelectorAll(NOT_TEXT)) n.remove();
    return norm(c.textContent);
  };
  const LABELISH = 'label, legend, [class*=label i], [class*=question i], [class*=title i], [id*=label i], h2, h3, h4, h5, h6,'
    + ' [data-test*=title i], [data-testid*=title i]';
  const UNIT = /^(\(?[A-Z]{3}\)?|[$€£¥₹]|[\p{L}. ]{0,24}\b(dollars?|euros?|pounds?|francs?|yen|rupees?|zloty|kron[aeor]+)\b\s*(\([^)]{1,6}\))?)$/iu;
  // Two or three controls under one heading (an amount and its period, a date's parts) share it.
  const sharedHeading = el => {
    for (let a = el.parentElement, d = 0; a && d < 3 && a.tagName !== 'FORM'; a = a.parentElement, d++) {
      const n = controlsIn(a).length;
      if (n > 3) return '';
      if (n < 2) continue;
      const h = Array.from(a.querySelectorAll(LABELISH)).find(x => precedes(x, el) && !controlsIn(x).length && textWithout(x));
      if (h) { labelNode = h; return textWithout(h); }
    }
    return '';
  };
  const GENERIC_NAME = /^(select|choose|search|pick|select an? option|select one|choose one|choose an? option|please select|please choose|type to search|start typing)[.…:]*$/i;
  const DESCRIPTION = '[class*=description i], [class*=hint i], [class*=helper i], [class*=help-text i], [id*=description i]';
  // words of a question or an instruction to answer one
  const QUESTIONISH = /\?|\b(please|indicate|select|choose|check|tick|confirm|enter|provide|do you|are you|would you|have you|will you|can you)\b/i;
  const precedes = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

  // The question text around a field (or a group whose members are `own`), when no label points at it.
  // With labelishOnly, plain text beside the field ("Drop file here") does not count, only labels,
  // legends, headings and elements whose class says label/question/title.
  // the element the last label text came from, to read required markers drawn by CSS classes
  let labelNode = null;
  const questionFor = (first, own, skip, labelishOnly) => {
    let node = first;
    for (let depth = 0; depth < 9; depth++) {
      let sib = node.previousElementSibling;
      // a heading may sit several paragraphs of explanation above (an EEO section's "Veteran status")
      for (let steps = 0; sib && steps < (labelishOnly ? 8 : 3); steps++, sib = sib.previousElementSibling) {
        if (skip.has(sib) || sib.matches('button, [role=button], script, style, template')) continue;
        if (isControl(sib) || controlsIn(sib).length) return '';
        const t = textWithout(sib);
        if (labelishOnly && !sib.matches(LABELISH)) continue;
        if (UNIT.test(t)) continue; // "US Dollar ($)" beside an amount is its unit, not its question
        if (t && t.length <= 300) {
          labelNode = sib;
          // a description under the question's label ("REQUIRED: Enter your city…") belongs to it
          const above = sib.matches(DESCRIPTION) ? sib.previousElementSibling : null;
          if (above && above.matches(LABELISH) && !controlsIn(above).length && textWithout(above)) {
            labelNode = above;
            return textWithout(above) + ' ' + t;
          }
          // a note under the question ("View our privacy policy here: …") is not the question: the
          // paragraph before it, when that one asks, is read first
          const note = !QUESTIONISH.test(t) && (sib.querySelector('a') || t.length > 80);
          const prev = note ? sib.previousElementSibling : null;
          const pt = prev && !skip.has(prev) && !isControl(prev) && !controlsIn(prev).length ? textWithout(prev) : '';
          if (pt && pt.length <= 400 && QUESTIONISH.test(pt)) return pt + ' ' + t;
          return t;
        }
      }
      const parent = node.parentElement;
      if (!parent || parent === document.body || parent.tagName === 'FORM') break;
      if (controlsIn(parent).some(c => !own.has(c))) break;
      const lab = Array.from(parent.querySelectorAll(LABELISH)).find(n => !skip.has(n) && !n.contains(first)
        && precedes(n, first) && !controlsIn(n).length && textWithout(n));
      if (lab) { labelNode = lab; return textWithout(lab); }
      node = parent;
    }
    return '';
  };
  const humanize = s => norm((s || '').replace(/\[\d*\]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-\[\].]+/g, ' '));
  const labelledBy = el => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(id => id && id !== el.id);
    if (ids.length) labelNode = byId(el, ids[0]);
    return norm(ids.map(id => { const n = byId(el, id); return n ? textWithout(n) : ''; }).join(' '));
  };
  // One part of a date split into boxes ("End Date": month and year selects): which part it is,
  // from its options or its own words.
  const MONTHS = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$|^(0?[1-9]|1[0-2])$/i;
  const datePart = el => {
    if (el.tagName === 'SELECT') {
      const texts = Array.from(el.options).map(o => norm(o.text)).filter(t => t && !PLACEHOLDER.test(t));
      if (texts.length >= 12 && texts.filter(t => /^(19|20)\d\d$/.test(t)).length >= texts.length - 1) return 'year';
      if (texts.length >= 12 && texts.length <= 13 && texts.filter(t => MONTHS.test(t)).length >= 12) return 'month';
      if (texts.length >= 28 && texts.length <= 32 && texts.every(t => /^\d{1,2}$/.test(t))) return 'day';
      return '';
    }
    const own = [el.getAttribute('placeholder'), el.getAttribute('aria-label'), el.name, el.id].join(' ');
    return /\b(yyyy|year|yr)\b|year/i.test(own) ? 'year' : /\b(mm|month)\b|month/i.test(own) ? 'month' : /\b(dd|day)\b/i.test(own) ? 'day' : '';
  };
  // a <label for> naming the box around the parts of a split date ("End Date" over month and year)
  const groupLabelFor = el => {
    let a = el.parentElement;
    for (let d = 0; a && d < 3; d++, a = a.parentElement) {
      if (a.id && controlsIn(a).length <= 3) {
        const r = a.getRootNode();
        const l = r.querySelector ? r.querySelector('label[for="' + CSS.escape(a.id) + '"]') : null;
        if (l && textWithout(l)) { labelNode = l; return textWithout(l); }
      }
    }
    return '';
  };
  // the part of the form a field is in, when the page says: an education entry (school, degree and
  // its dates) is not the work history, whose dates and names look the same
  const EDUCATION = /educat|school|academic|universit|degree/i;
  // a work-history entry (Workday's "Work Experience 1": title, company, dates, "I currently work here")
  const WORK = /work-?experience|workexperience|work-?history|employment-?history|employmenthistory|experience-?entry|job-?history/i;
  const contextOf = el => {
    for (let a = el, d = 0; a && d < 10 && a.tagName !== 'FORM' && a !== document.body; a = a.parentElement, d++) {
      const words = [a.id, a.getAttribute('name'), typeof a.className === 'string' ? a.className : '', a.getAttribute('data-automation-id'),
        a.getAttribute('data-field-path'), a.getAttribute('aria-label'), a.getAttribute('aria-labelledby')].join(' ');
      if (WORK.test(words)) return 'work';
      if (EDUCATION.test(words) && !/employ|experience|work/i.test(words)) return 'education';
    }
    return '';
  };
  // A terse label ("Notification:") says what the box is about only with its aria-describedby text
  // ("Receive new job posting notifications").
  const withDescription = (el, label) => {
    if (label && !/:\s*[*✱]?\s*$/.test(label) && label.split(/\s+/).length > 2) return label;
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const d = norm(ids.map(id => { const n = byId(el, id); return n && !/error/i.test(id) ? textWithout(n) : ''; }).join(' '));
    return d && d.length <= 200 ? norm(label + ' ' + d) : label;
  };
  // the accessible name's order: aria-labelledby, aria-label, then the <label> (a phone row's
  // <label for> may point at its country-code box, whose aria-label says what it is)
  const labelOf = (el, own, skip) => {
    let t = labelledBy(el);
    if (t) return t;
    t = norm(el.getAttribute('aria-label'));
    // "Select" / "Search" as the accessible name is the widget's placeholder, not its question
    if (t && GENERIC_NAME.test(t)) {
      const q = Array.from(el.labels || []).map(textWithout).find(Boolean) || questionFor(el, own, skip);
      if (q) return q;
    }
    if (t) {
      // the required marker sits on the <label> even when aria-label names the field
      for (const l of Array.from(el.labels || [])) if (textWithout(l)) { labelNode = l; break; }
      return labelNode && /[*✱]/.test(labelNode.textContent) && !/[*✱]/.test(t) ? t + ' *' : t;
    }
    for (const l of Array.from(el.labels || [])) { t = textWithout(l); if (t) { labelNode = l; return t; } }
    t = groupLabelFor(el);
    if (t) { const part = datePart(el); return part ? t + ' (' + part + ')' : t; }
    t = questionFor(el, own, skip);
    if (t) return t;
    if (el.tagName === 'SELECT') {
      t = sharedHeading(el);
      if (t) { const part = datePart(el); return part ? t + ' (' + part + ')' : t; }
    }
    return norm(el.getAttribute('placeholder')) || norm(el.getAttribute('title')) || humanize(el.name || el.id);
  };
  // a fieldset's legend, or (Ashby) the <label> a fieldset opens with when it has no legend
  const legendOf = el => {
    const fs = el.closest('fieldset');
    if (!fs) return '';
    const lg = fs.querySelector('legend');
    if (lg) return textWithout(lg);
    const first = Array.from(fs.children).find(c => c.matches('label') && !controlsIn(c).length && textWithout(c));
    return first ? textWithout(first) : '';
  };
  const REQ_CLASS = /(^|[^a-z])(required|asterisk|mandatory)([^a-z]|$)/i;
  const markedRequired = n => !!n && n.nodeType === 1 && (REQ_CLASS.test(typeof n.className === 'string' ? n.className : '')
    || Array.from(n.querySelectorAll('[class]')).some(c => REQ_CLASS.test(typeof c.className === 'string' ? c.className : '')));
  const requiredOf = (el, label) => (el && (el.required || el.getAttribute('aria-required') === 'true'))
    || /[*✱]|\(required\)/i.test(label || '') || (!/\(optional\)/i.test(label || '') && markedRequired(labelNode));
  const selectedLike = el => el.getAttribute('aria-pressed') === 'true' || el.getAttribute('aria-checked') === 'true'
    || el.getAttribute('aria-selected') === 'true' || /(^|[^a-z])(active|selected|checked|is-on)([^a-z]|$)/i.test(typeof el.className === 'string' ? el.className : '');
  const PLACEHOLDER = /^(select|choose|please|pick|search|start typing|none selected|-{1,3}|—)(\b|$)/i;

  const fields = [];
  let n = 0;
  const add = (el, f) => {
    f.idx = n++;
    el.setAttribute('data-gh-field', String(f.idx));
    f.el = el;
    f.name = el.getAttribute('name') || '';
    f.id = el.id || '';
    f.autocomplete = (el.getAttribute('autocomplete') || '').toLowerCase();
    f.placeholder = norm(el.getAttribute('placeholder'));
    f.invalid = el.getAttribute('aria-invalid') === 'true';
    f.section = f.section || legendOf(el);
    f.context = contextOf(el);
    // Workday names its listbox buttons "Select One Required": the question is the fieldset's legend
    const bare = (f.label || '').replace(/\s*\brequired\b\s*[*✱]?\s*$/i, '');
    if (f.section && (!bare || GENERIC_NAME.test(bare)) && ['popup', 'combo', 'select'].includes(f.kind)) {
      if (/\brequired\b/i.test(f.label || '')) f.required = true;
      f.label = f.section;
    }
    fields.push(f);
  };
  const radioGroups = new Map();
  const formKeys = new Map();

  // (an intl-tel-input country button opens a dialog: "Change country, selected Austria (+43)")
  for (const el of deepAll('input, select, textarea, [role=combobox], [aria-haspopup=listbox], [role=radiogroup], [contenteditable=true],'
      + ' button[aria-haspopup][aria-label*=country i], .iti__selected-country, .iti__selected-flag')) {
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    labelNode = null;
    if (tag === 'input' && ['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    // a search box is the site's, unless it is a question's picker (a combobox over a list, with a label)
    if (tag === 'input' && type === 'search' && !((el.getAttribute('role') === 'combobox' || el.getAttribute('aria-haspopup') === 'listbox')
        && (el.labels && el.labels.length || el.getAttribute('aria-labelledby')))) continue;
    // site search and navigation are not part of an application
    if (el.closest('nav, [role=search], [role=navigation]')) continue;
    if (type === 'file') {
      const files = Array.from(el.files || []).map(f => f.name);
      let label = labelledBy(el) || Array.from(el.labels || []).map(textWithout).find(Boolean) || norm(el.getAttribute('aria-label'))
        || questionFor(el, new Set([el]), new Set(), true) || labelOf(el, new Set([el]), new Set());
      // a drop zone's own words ("Choose a file or drop it here") do not say which file: its heading does
      if (/^(choose|select|drop|drag|upload|browse|attach|add)\b.{0,40}\b(files?|here|computer|device)\b/i.test(label)) {
        // (its own label, or the label beside it: pages repeat a drop zone's id, so labels may not point back)
        const mine = new Set([...Array.from(el.labels || []), ...(el.parentElement ? el.parentElement.querySelectorAll('label') : [])]);
        const own = Array.from(mine).flatMap(l => [l, ...l.querySelectorAll('*')]);
        const heading = questionFor(el, new Set([el]), new Set(own), true);
        if (heading && heading !== label) label = heading + ' ' + label;
      }
      add(el, {kind: 'file', tag, type, label, required: requiredOf(el, label), visible: shown(el),
        value: files.join(', '), accept: el.getAttribute('accept') || '', multiple: el.multiple});
      continue;
    }
    if (disabled(el)) continue;
    if (type === 'radio') {
      if (!shownOrLabelled(el) || stateHolder(el)) continue;
      const form = el.form ? el.form : el.getRootNode();
      // named radios group by form and name; unnamed ones by their radiogroup or fieldset
      if (!formKeys.has(form)) formKeys.set(form, formKeys.size);
      const key = el.name ? formKeys.get(form) + ':' + el.name : (el.closest('[role=radiogroup], fieldset') || el);
      let g = radioGroups.get(key);
      if (!g) {
        const members = (el.name ? Array.from(form.querySelectorAll('input[type=radio]')).filter(r => r.name === el.name)
          : key === el ? [el] : Array.from(key.querySelectorAll('input[type=radio]')).filter(r => !r.name)).filter(shownOrLabelled);
        g = {members, options: []};
        radioGroups.set(key, g);
        const own = new Set(members);
        const skip = new Set(members.flatMap(m => Array.from(m.labels || [])));
        const rg = el.closest('[role=radiogroup]');
        let label = legendOf(el) && el.closest('fieldset').contains(members[members.length - 1]) ? legendOf(el) : '';
        if (!label && rg) label = labelledBy(rg) || norm(rg.getAttribute('aria-label'));
        if (!label) label = questionFor(members[0], own, skip) || humanize(el.name);
        // "Please check one of the boxes below:" introduces the question; the heading above says it
        if (/^(please )?(check|select|choose|pick|tick|mark) (one|all|any|the)\b/i.test(label) && labelNode) {
          const before = questionFor(labelNode, own, skip, true);
          if (before) label = before + ' ' + label;
        }
        const f = {kind: 'radio', tag, type, label, required: members.some(m => m.required) || (rg && rg.getAttribute('aria-required') === 'true') || requiredOf(null, label),
          visible: true, value: '', options: g.options};
        add(el, f);
        g.field = f;
      }
      const k = g.options.length;
      el.setAttribute('data-gh-opt', g.field.idx + ':' + k);
      let text = '';
      for (const l of Array.from(el.labels || [])) { text = textWithout(l); if (text) break; }
      if (!text) text = norm(el.getAttribute('aria-label'));
      if (!text && el.getAttribute('aria-labelledby')) {
        text = norm(el.getAttribute('aria-labelledby').split(/\s+/).map(id => { const n = byId(el, id); return n ? textWithout(n) : ''; }).join(' '));
      }
      if (!text && el.nextSibling) text = norm(el.nextSibling.textContent);
      if (!text) text = el.value;
      g.options.push({text, value: el.value, selected: el.checked});
      if (el.checked) g.field.value = text;
      continue;
    }
    if (type === 'checkbox') {
      if (!shownOrLabelled(el) || stateHolder(el)) continue;
      let label = '';
      for (const l of Array.from(el.labels || [])) { label = textWithout(l); if (label) break; }
      if (!label) label = labelledBy(el) || norm(el.getAttribute('aria-label'));
      if (!label) {
        // text right after the box ("<input type=checkbox> I agree to …")
        let sib = el.nextElementSibling;
        if (sib && !controlsIn(sib).length) label = textWithout(sib);
        if (!label && el.nextSibling && el.nextSibling.nodeType === 3) label = norm(el.nextSibling.textContent);
      }
      if (!label) label = questionFor(el, new Set([el]), new Set());
      label = withDescription(el, label);
      if (!/\p{L}/u.test(label)) {
        // a label that is only its required marker ("*"): the words sit after the box, in a sibling
        // of the box or of its wrapper (web components flattened into the page)
        let found = '';
        for (let a = el, d = 0; a && d < 3 && !found; a = a.parentElement, d++) {
          for (let next = a.nextElementSibling, k = 0; next && k < 2 && !found; next = next.nextElementSibling, k++) {
            if (controlsIn(next).length) break;
            const t = textWithout(next);
            if (/\p{L}/u.test(t) && t.length <= 600) found = t;
          }
        }
        if (found) label = found + (label ? ' ' + label : '');
      }
      const required = requiredOf(el, label);
      // boxes sharing a name answer one question ("Which teams…?"): keep it beside each box
      let group = '';
      let members = el.name ? Array.from((el.form || el.getRootNode()).querySelectorAll('input[type=checkbox]')).filter(c => c.name === el.name) : [];
      if (members.length <= 1) {
        // boxes named one by one (Ashby) still answer one question when a fieldset holds them
        const fs = el.closest('fieldset, [role=group]');
        const boxes = fs ? Array.from(fs.querySelectorAll('input[type=checkbox]')).filter(shownOrLabelled) : [];
        if (boxes.length > 1) members = boxes;
      }
      if (members.length > 1) {
        // the question sits beside the element holding every box (and an odd one out, "Custom")
        let box = members[0].parentElement;
        while (box && box.parentElement && !members.every(m => box.contains(m))) box = box.parentElement;
        const own = new Set(Array.from(box.querySelectorAll('input[type=checkbox]')));
        group = legendOf(el) || questionFor(box, own, new Set(Array.from(own).flatMap(m => Array.from(m.labels || []))))
          || questionFor(members[0], new Set(members), new Set(members.flatMap(m => Array.from(m.labels || []))));
      }
      add(el, {kind: 'checkbox', tag, type, label, required, visible: true,
        value: el.checked ? 'checked' : '', checked: el.checked, section: group});
      continue;
    }
    if (el.getAttribute('role') === 'radiogroup') {
      if (el.querySelector('input[type=radio]') || !shown(el)) continue;
      const opts = Array.from(el.querySelectorAll('[role=radio]')).filter(shown);
      if (!opts.length) continue;
      const label = labelledBy(el) || norm(el.getAttribute('aria-label')) || questionFor(el, new Set(opts), new Set());
      const f = {kind: 'choice', tag, type: 'radiogroup', label, required: requiredOf(el, label), visible: true, value: '', options: []};
      add(el, f);
      opts.forEach((o, k) => {
        o.setAttribute('data-gh-opt', f.idx + ':' + k);
        const sel = selectedLike(o);
        f.options.push({text: norm(o.innerText) || norm(o.getAttribute('aria-label')), value: '', selected: sel});
        if (sel) f.value = norm(o.innerText);
      });
      continue;
    }
    if (!shown(el)) continue;
    const role = (el.getAttribute('role') || '').toLowerCase();
    if (tag === 'select') {
      const options = Array.from(el.options).map((o, i) => ({text: norm(o.text), value: o.value, index: i, disabled: o.disabled}))
        .filter(o => !o.disabled && !(o.value === '' || !o.text || PLACEHOLDER.test(o.text)));
      const chosen = el.selectedIndex >= 0 ? el.options[el.selectedIndex] : null;
      const value = chosen && options.some(o => o.index === el.selectedIndex) ? norm(chosen.text) : '';
      const label = labelOf(el, new Set([el]), new Set());
      add(el, {kind: 'select', tag, type, label, required: requiredOf(el, label), visible: true, value, options, multiple: el.multiple});
      continue;
    }
    if (tag === 'input' || tag === 'textarea' || el.isContentEditable) {
      if (el.readOnly && role !== 'combobox') continue;
      const label = labelOf(el, new Set([el]), new Set());
      const auto = (el.getAttribute('aria-autocomplete') || '').toLowerCase();
      // a search box that picks from a list (Workday's prompt: the choice shows as a pill beside it)
      const pickerBox = el.getAttribute('data-uxi-widget-type') === 'selectinput' ? el.closest('[data-automation-id=multiSelectContainer]') || el.parentElement : null;
      const combo = role === 'combobox' || auto === 'list' || auto === 'both' || el.getAttribute('aria-haspopup') === 'listbox' || el.hasAttribute('list') || !!pickerBox;
      let value = el.isContentEditable ? norm(el.innerText) : el.value;
      if (pickerBox && !value) {
        value = Array.from(pickerBox.querySelectorAll('[data-automation-id=selectedItem]')).map(p => norm(p.getAttribute('title') || p.innerText)).filter(Boolean).join(', ');
      }
      if (combo && !value) {
        // react-select style: the chosen value is shown beside the (empty) search input
        let box = null;
        for (let a = el.parentElement, d = 0; a && d < 4 && !box; a = a.parentElement, d++) {
          if (/control/i.test(typeof a.className === 'string' ? a.className : '')) box = a;
        }
        if (box && controlsIn(box).length <= 1 && !box.querySelector('label, legend')) {
          const c = box.cloneNode(true);
          for (const p of c.querySelectorAll('[class*=placeholder i], input, [class*=indicator i], svg, style, script')) p.remove();
          const shownText = norm(c.textContent);
          if (shownText && !PLACEHOLDER.test(shownText)) value = shownText;
        }
      }
      add(el, {kind: combo ? 'combo' : 'text', tag: el.isContentEditable ? 'div' : tag, type: pickerBox ? 'selectinput' : type || (tag === 'textarea' ? 'textarea' : 'text'),
        label, required: requiredOf(el, label), visible: true, value, maxLength: el.maxLength > 0 ? el.maxLength : 0});
      continue;
    }
    // a button or div that opens a popup listbox (Workday-style)
    if (el.querySelector('input, select, textarea')) continue;
    const label = labelOf(el, new Set([el]), new Set());
    let value = norm(el.innerText || el.textContent);
    if (PLACEHOLDER.test(value) || value === label) value = '';
    add(el, {kind: 'popup', tag, type: role || 'button', label, required: requiredOf(el, label), visible: true, value});
  }

  // groups of answer buttons (Ashby-style Yes / No toggles)
  const COOKIE_AREAS = '[id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i], [aria-label*=cookie i], [id*=gdpr i], [class*=gdpr i], [id*=onetrust i]';
  const NAV = /^(next|back|previous|continue|submit|apply|save|cancel|close|upload|attach|add|remove|delete|edit|clear|show|hide|more|less|sign|log|search|filter|share|print|menu|skip|review|done|ok|x|×)\b/i;
  const parents = new Map();
  for (const b of deepAll('button, [role=button]')) {
    if (b.hasAttribute('data-gh-field') || (b.getAttribute('type') || '').toLowerCase() === 'submit' || b.getAttribute('aria-haspopup')) continue;
    const t = norm(b.innerText);
    // an answer written out in a list of pills ("Yes, my salary expectations align with…") may be long
    const longest = b.closest('[role=list], [role=radiogroup], [role=group]') ? 160 : 40;
    if (!t || t.length > longest || NAV.test(t) || !shown(b) || disabled(b)) continue;
    // pills: each answer button in its own list item (Oracle's "Mr. / Ms.", "1 month / 3 months")
    let holder = b.parentElement;
    if (holder && holder.tagName === 'LI' && holder.children.length === 1 && holder.parentElement
        && holder.parentElement.matches('ul, ol, [role=list]')) holder = holder.parentElement;
    if (!parents.has(holder)) parents.set(holder, []);
    parents.get(holder).push(b);
  }
  for (const [parent, buttons] of parents) {
    if (!parent || buttons.length < 2 || buttons.length > 8 || controlsIn(parent).length) continue;
    if (parent.closest('nav, header, footer, [role=navigation], [role=menu], [role=toolbar], [role=tablist]')) continue;
    if (parent.closest(COOKIE_AREAS)) continue; // "Cookie settings / Accept all" is not a question
    labelNode = null;
    const label = questionFor(parent, new Set(buttons), new Set());
    if (!label) continue;
    const f = {kind: 'choice', tag: parent.tagName.toLowerCase(), type: 'buttons', label, required: requiredOf(parent, label), visible: true, value: '', options: []};
    add(parent, f);
    buttons.forEach((b, k) => {
      b.setAttribute('data-gh-opt', f.idx + ':' + k);
      const sel = selectedLike(b);
      f.options.push({text: norm(b.innerText), value: '', selected: sel});
      if (sel) f.value = norm(b.innerText);
    });
  }
  fields.sort((a, b) => a.el === b.el ? 0 : (composedPrecedes(a.el, b.el) ? -1 : 1));
  // A country picker in the phone number's own box (intl-tel-input and its kind) names itself by its
  // placeholder ("Search"), its value ("+44 GB") or nothing: it is the phone's country code.
  const phones = fields.filter(f => f.kind === 'text' && (f.type === 'tel' || /\b(phone|mobile|telephone)\b/i.test(f.label)));
  for (const f of fields) {
    if (!['combo', 'popup', 'select'].includes(f.kind) || /\b(code|dial|dialling|dialing|calling|prefix)\b/i.test(f.label)) continue;
    const generic = GENERIC_NAME.test(f.label) || !f.label || /^\+?\d{1,4}\b/.test(f.label) || /\b(phone|mobile|telephone)\b/i.test(f.label);
    const countryish = /\bcountry\b/i.test(f.label);
    if (!generic && !countryish) continue;
    const beside = phones.find(ph => {
      let box = f.el.parentElement;
      for (let d = 0; box && d < 10 && !box.contains(ph.el); d++) box = box.parentElement;
      return box && box.contains(ph.el) && controlsIn(box).length <= 3;
    });
    if (!beside) continue;
    const codeLike = /^\+\d{1,4}\b|^[A-Z]{2}\s*\+\d/.test(f.value || '') || /\(\+\d{1,4}\)/.test(f.label)
      || (f.options || []).some(o => /\+\d{1,4}/.test(o.text));
    const before = !!(f.el.compareDocumentPosition(beside.el) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (generic && (codeLike || before)) f.label = 'Phone country code';
    else if (countryish && (codeLike || before && /\bphone\b/i.test(f.section || ''))) f.label = 'Phone country code: ' + f.label;
  }
  // Repeated entries of a part (Workday's "Work Experience 1", "Work Experience 2" under "Add
  // Another"; an education block per school): which entry each of the part's fields is in. A part
  // asking nothing twice is one entry (0). Otherwise its entries are the children of the element
  // holding all its fields, when each child asks the questions the first one asks, once each; or,
  // laid out flat, runs that each start with the part's first question again. A field of a part
  // whose questions repeat in no such way gets -1: no entry's answers can be told to be its own.
  const askKey = f => norm((f.section || '') + '|' + (f.label || '')).replace(/[*✱]/g, '').toLowerCase();
  for (const f of fields) f.entry = 0;
  for (const part of ['work', 'education']) {
    const own = fields.filter(f => f.context === part);
    const keys = own.map(askKey);
    if (new Set(keys).size === keys.length) continue;
    let box = own[0].el.parentElement;
    while (box && !own.every(f => box.contains(f.el))) box = box.parentElement;
    const groups = new Map();
    for (const f of box ? own : []) {
      let c = f.el;
      while (c.parentElement !== box) c = c.parentElement;
      if (!groups.has(c)) groups.set(c, []);
      groups.get(c).push(f);
    }
    const sets = Array.from(groups.values()).map(g => new Set(g.map(askKey)));
    const alike = sets.length >= 2 && Array.from(groups.values()).every((g, i) => sets[i].size === g.length
      && 2 * Array.from(sets[i]).filter(k => sets[0].has(k)).length >= Math.min(sets[i].size, sets[0].size));
    if (alike) {
      Array.from(groups.values()).forEach((g, i) => g.forEach(f => { f.entry = i; }));
      continue;
    }
    let entry = -1;
    let asked = new Set();
    let flat = true;
    own.forEach((f, i) => {
      if (keys[i] === keys[0]) { entry++; asked = new Set(); }
      if (asked.has(keys[i])) flat = false;
      asked.add(keys[i]);
      f.entry = entry;
    });
    if (!flat) own.forEach((f, i) => { f.entry = keys.indexOf(keys[i]) === keys.lastIndexOf(keys[i]) ? 0 : -1; });
  }
  const contextByIdx = new Map(fields.map(f => [String(f.idx), f.context]));
  for (const f of fields) delete f.el;

  const buttons = [];
  let bn = 0;
  for (const b of deepAll('button, input[type=submit], input[type=button], [role=button], a[href], [role=link]')) {
    if (b.hasAttribute('data-gh-field') || b.hasAttribute('data-gh-opt') || !shown(b)) continue;
    const text = norm(b.innerText || b.value || b.getAttribute('aria-label') || b.getAttribute('title'));
    if (!text || text.length > 80) continue;
    b.setAttribute('data-gh-btn', String(bn));
    // an "Add" button says what it adds by the heading of its part of the form ("Work Experience"),
    // or, nearer to it than any heading, by the entries right beside it (Greenhouse's "Add another"
    // under its education blocks, headed by a plain paragraph): their part, when they are all of one
    let section = '';
    let part = '';
    if (/^add\b/i.test(text)) {
      let headingAt = 4;
      for (let a = b.parentElement, d = 0; a && d < 4 && !section; a = a.parentElement, d++) {
        const h = Array.from(a.querySelectorAll('h2, h3, h4, h5, legend, [role=heading]')).find(x => precedes(x, b) && norm(x.innerText));
        if (h) { section = norm(h.innerText).slice(0, 80); headingAt = d; }
      }
      for (let a = b.parentElement, d = 0; a && d < headingAt; a = a.parentElement, d++) {
        const beside = Array.from(a.querySelectorAll('[data-gh-field]')).map(e => contextByIdx.get(e.getAttribute('data-gh-field')));
        if (!beside.length) continue;
        if (['work', 'education'].includes(beside[0]) && beside.every(c => c === beside[0])) part = beside[0];
        break;
      }
    }
    buttons.push({idx: bn++, text, tag: b.tagName.toLowerCase(), type: (b.getAttribute('type') || (b.tagName === 'BUTTON' && b.form ? 'submit' : '')).toLowerCase(),
      inForm: !!b.closest('form'), disabled: disabled(b), target: b.getAttribute('target') || '', href: b.getAttribute('href') || '', section, part});
    if (bn >= 250) break;
  }

  let cookieButton = -1;
  const COOKIE_IDS = '#onetrust-accept-btn-handler, #cookie-accept, #accept-cookies, #CookieAcceptAll, #cookieAcceptAll, #truste-consent-button, #sp-cc-accept, .cookie-accept-btn, .accept-cookies-btn, .cookie-consent-accept, [data-testid=cookie-accept], [data-action=accept-cookies]';
  const COOKIE_TEXT = /^(accept|accept all|accept all cookies|accept cookies|allow all|allow all cookies|allow cookies|i accept|i agree|agree|agree and close|accept and close|accept & close|got it|ok|okay|understood)$/i;
  const known = deepAll(COOKIE_IDS).find(shown);
  const banners = deepAll(COOKIE_AREAS).filter(shown);
  for (const b of buttons) {
    const el = deepAll('[data-gh-btn="' + b.idx + '"]')[0];
    if ((known && (el === known || known.contains(el))) || (COOKIE_TEXT.test(b.text) && banners.some(x => x.contains(el)))) { cookieButton = b.idx; break; }
  }

  const errors = [];
  for (const e of deepAll('[role=alert], [aria-live=assertive], [class*=error i], [class*=invalid i], [id*=error i], [data-automation-id*=error i]')) {
    if (!shown(e) || controlsIn(e).length) continue;
    const t = norm(e.innerText);
    if (t && t.length <= 200 && !errors.includes(t) && !errors.some(x => x.includes(t))) errors.push(t);
  }

  const heading = deepAll('h1, h2, h3').find(h => shown(h) && norm(h.innerText));
  const step = (deepAll('[aria-current=step], [aria-current=true], .active-step, .current-step, [class*=activeStep i], [class*=currentStep i], [class*=active-step i], [class*=current-step i], ol li.active, [class*=step i].active'))
    .find(s => shown(s) && norm(s.innerText));
  return JSON.stringify({
    url: location.href,
    title: document.title || '',
    heading: heading ? norm(heading.innerText).slice(0, 80) : '',
    step: step ? norm(step.innerText).slice(0, 60) : '',
    text: (document.body ? document.body.innerText : '').slice(0, 8000),
    fields, buttons, cookieButton, errors: errors.slice(0, 20)
  });
}

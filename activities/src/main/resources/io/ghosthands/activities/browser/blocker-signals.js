() => {
  const lower = s => (s || '').toString().toLowerCase();
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
  };
  // Shown to a person: rendered, not hidden by an ancestor, big enough to click or read, and on the
  // page (challenge frames wait at top:-10000px until a challenge is needed).
  const onPage = (el, minW, minH) => {
    if (!el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width < minW || r.height < minH) return false;
    if (r.bottom + window.scrollY <= 0 || r.right + window.scrollX <= 0 || r.top + window.scrollY > 50000) return false;
    if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    return !el.closest('[aria-hidden=true]') || el.tagName === 'IFRAME';
  };
  // Badges and invisible modes run without a person: the reCAPTCHA v3 / invisible badge, an
  // hCaptcha or Turnstile widget in invisible mode. They are not challenges.
  const BADGE = '.grecaptcha-badge, [class*=captcha-badge i], [class*=recaptcha-badge i], [data-size=invisible], [data-badge]';
  const badge = el => !!el.closest(BADGE) || /[?&#](size=invisible|frame=checkbox-invisible)/.test(lower(el.getAttribute('src')));
  const all = sel => Array.from(document.querySelectorAll(sel));
  const describe = el => lower([el.name, el.id, el.placeholder, el.getAttribute('aria-label'),
    el.getAttribute('autocomplete'), el.getAttribute('aria-describedby'), el.getAttribute('data-testid'),
    typeof el.className === 'string' ? el.className : ''].filter(Boolean).join(' '));
  const labelOf = el => {
    const id = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
    const wrap = el.closest('label');
    return lower((id ? id.innerText : '') + ' ' + (wrap ? wrap.innerText : ''));
  };
  const fields = all('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]), textarea, select')
    .filter(visible);
  const textInputs = fields.filter(el => el.tagName === 'INPUT' && /^(text|tel|number|email|password|search|)$/.test(lower(el.type)));
  const otpWords = /(one[-_ ]?time|otp|verification[-_ ]?code|security[-_ ]?code|confirmation[-_ ]?code|auth(entication)?[-_ ]?code|two[-_ ]?factor|twofactor|2fa|mfa|passcode|code[-_]given|verify[-_ ]?code|sms[-_ ]?code|codice|código)/;
  const otpFields = textInputs.filter(el => lower(el.autocomplete) === 'one-time-code'
    || otpWords.test(describe(el)) || otpWords.test(labelOf(el)));
  const singleChar = textInputs.filter(el => el.maxLength === 1);
  const CAPTCHA_FRAME = /recaptcha|hcaptcha|turnstile|challenges\.cloudflare\.com|arkoselabs|funcaptcha|geetest|captcha/;
  const frameText = f => lower(f.getAttribute('src')) + ' ' + lower(f.title);
  // frames a person would have to solve or click: visible, not a badge, not an invisible mode
  const frames = all('iframe').filter(f => CAPTCHA_FRAME.test(frameText(f)) && !badge(f) && onPage(f, 60, 40)).map(frameText);
  const widgetSel = '.g-recaptcha, .h-captcha, .cf-turnstile, [data-sitekey], #cf-norobot-container, #turnstile-wrapper,'
    + ' #px-captcha, .captcha, [id*="captcha" i], iframe[src*="captcha" i], iframe[src*="challenges.cloudflare.com"]';
  const widgets = all(widgetSel).filter(el => !badge(el) && !/^(textarea|input|script|style)$/i.test(el.tagName));
  // a widget counts as shown only when it shows something to act on (a frame, an image, a box)
  const shownWidgets = widgets.filter(el => onPage(el, 60, 40)
    && (el.matches('iframe, canvas, img') || !!el.querySelector('iframe, canvas, img, input, button, [role=button], [role=checkbox]')));
  const body = document.body ? document.body.innerText : (document.documentElement.innerText || '');
  return {
    url: location.href,
    title: lower(document.title),
    text: lower(body).slice(0, 20000),
    frames: frames,
    captchaWidgets: widgets.length,
    visibleCaptchaWidgets: shownWidgets.length,
    cloudflareChallenge: !!(window._cf_chl_opt || document.querySelector('#challenge-form, #challenge-running, #cf-challenge-running, #challenge-stage, .cf-browser-verification, #cf-spinner')),
    passwordFields: fields.filter(el => lower(el.type) === 'password').length,
    otpFields: otpFields.length,
    singleCharFields: singleChar.length,
    fields: fields.length,
    fileInputs: all('input[type=file]').length
  };
}

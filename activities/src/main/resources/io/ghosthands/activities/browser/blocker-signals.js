() => {
  const lower = s => (s || '').toString().toLowerCase();
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
  };
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
  const frames = all('iframe').map(f => lower(f.src) + ' ' + lower(f.title));
  const widgets = all('.g-recaptcha, .h-captcha, .cf-turnstile, [data-sitekey], #cf-norobot-container, #turnstile-wrapper,'
    + ' #px-captcha, #captcha, .captcha, [id*="captcha" i], iframe[src*="captcha" i], iframe[src*="challenges.cloudflare.com"]');
  const body = document.body ? document.body.innerText : (document.documentElement.innerText || '');
  return {
    url: location.href,
    title: lower(document.title),
    text: lower(body).slice(0, 20000),
    frames: frames,
    captchaWidgets: widgets.length,
    visibleCaptchaWidgets: widgets.filter(visible).length,
    cloudflareChallenge: !!(window._cf_chl_opt || document.querySelector('#challenge-form, #challenge-running, #cf-challenge-running, #challenge-stage, .cf-browser-verification, #cf-spinner')),
    passwordFields: fields.filter(el => lower(el.type) === 'password').length,
    otpFields: otpFields.length,
    singleCharFields: singleChar.length,
    fields: fields.length,
    fileInputs: all('input[type=file]').length
  };
}

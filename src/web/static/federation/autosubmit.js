/* global document, window */
// SAML HTTP-POST binding and the page after the ACS: continue without a click when
// JavaScript runs; the visible button or link does the same without it. External file,
// so the Content-Security-Policy needs no inline script.
document.querySelectorAll('form[data-autosubmit]').forEach(function (form) { form.submit(); });
document.querySelectorAll('a[data-autofollow]').forEach(function (link) { window.location.replace(link.href); });

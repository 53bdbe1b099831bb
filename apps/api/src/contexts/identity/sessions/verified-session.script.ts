/**
 * The copy button of the VERIFIED code page, served as a file because the CSP allows scripts only
 * from our origin. Plain ES5 so every major browser runs it: the Clipboard API where the browser
 * allows it, else selecting the code and execCommand('copy'), else asking for Ctrl/Cmd+C.
 */
export const VERIFIED_SESSION_SCRIPT = `(function () {
  'use strict';
  var input = document.getElementById('verified-code');
  var button = document.getElementById('copy-button');
  var status = document.getElementById('copy-status');
  if (!input || !button || !status) return;

  function say(key) {
    status.textContent = status.getAttribute('data-' + key) || '';
  }
  function selectCode() {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
  }
  function copyBySelection() {
    selectCode();
    try {
      return document.execCommand('copy');
    } catch (e) {
      return false;
    }
  }
  function fallback() {
    if (copyBySelection()) say('copied');
    else {
      selectCode();
      say('manual');
    }
  }

  input.addEventListener('focus', selectCode);
  button.addEventListener('click', function () {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () {
        say('copied');
      }, fallback);
    } else {
      fallback();
    }
  });
})();
`;

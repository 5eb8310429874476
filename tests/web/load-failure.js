// The load guard of the pages that headless drivers read (tests/web/index.html,
// bench/web/index.html): if the page's module or one of its imports fails to load or evaluate,
// publish a finished, failed report at once instead of leaving the driver to time out. A classic
// script, loaded before the module, so that it runs when modules cannot.
//
// watchLoadFailures(resultName, messageId, emptyReport) sets window[resultName] to
// { done: true, ok: false, error, ...emptyReport } (unless a finished report is there) and shows
// the message in the element #messageId, on an uncaught error and through loadFailed(message),
// which the module script's onerror calls.
function watchLoadFailures(resultName, messageId, emptyReport) {
  window.loadFailed = function (message) {
    if (window[resultName] && window[resultName].done) return;
    window[resultName] = Object.assign({ done: true, ok: false, error: message }, emptyReport(message));
    document.getElementById(messageId).textContent = 'ERROR: ' + message;
  };
  window.addEventListener('error', function (e) {
    window.loadFailed('uncaught: ' + (e.error && e.error.stack ? e.error.stack : e.message));
  });
}

// The one type-ahead behind the pickers (public/picker.js) and the skill entry (public/skill-entry.js): after a short
// pause in the typing it asks the server (JSON) and shows only the newest answer. Progressive enhancement only.
(function () {
  'use strict';
  /**
   * Follows the typing in `input`. `urlFor(text)` gives the address to ask, or null to ask nothing; `onAnswer`
   * shows an answer, `onFail` runs when the server cannot be reached. Returns search(): ask now (Enter).
   */
  window.skillnetTypeahead = function (input, urlFor, onAnswer, onFail) {
    var seq = 0;
    var timer = null;
    function search() {
      clearTimeout(timer);
      var mine = ++seq; // an answer to an older question is dropped
      var url = urlFor(input.value.trim());
      if (url === null) return;
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (answer) { if (answer && mine === seq) onAnswer(answer); })
        .catch(onFail);
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    return search;
  };
})();

// Links shared before the query page moved to /query (#query=...) still open the query.
(function () {
  "use strict";
  if (/^#(query|endpoint|tabTitle)=/.test(window.location.hash)) {
    window.location.replace("query" + window.location.hash);
  }
})();

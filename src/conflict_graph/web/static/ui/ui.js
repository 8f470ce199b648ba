// The query page: YASGUI on this server's SPARQL endpoint, one tab per named query.
//
// Everything the page needs comes from the JSON block #cg-ui-config that the server renders.
// Features that would contact another host are switched off: the LOV property and class
// autocompleters (lov.linkeddata.es), the prefix.cc lookup, the URL shortener, the CORS proxy,
// and the endpoint named in a shared link. Tabs are not kept in localStorage, so the example tabs
// always match the server's queries.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("cg-ui-config").textContent);
  // YASGUI needs an absolute URL; resolving the relative one keeps it on this origin.
  var endpoint = new URL(config.endpoint, document.baseURI).href;

  // Only the completers that work offline: variables in the query, and the bundled prefix list.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.createShortLink = undefined;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    autoAddOnInit: false,
    tabName: "Query",
    corsProxy: undefined,
    copyEndpointOnNewTab: true,
    // A shared link (#query=...&endpoint=...) opens as a tab, but always on this server.
    populateFromUrl: function (tab) {
      tab.requestConfig.endpoint = endpoint;
      return tab;
    },
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
    },
    yasqe: { value: config.newTabQuery },
    yasr: { prefixes: config.prefixes },
  });

  // A tab opened from a shared link (#query=...) is already there; keep it in front.
  var hadTabs = yasgui.persistentConfig.getTabs().length > 0;

  config.queries.forEach(function (query, index) {
    yasgui.addTab(!hadTabs && index === 0, {
      id: "query-" + query.name,
      name: query.title,
      yasqe: { value: query.text },
      requestConfig: {
        endpoint: endpoint,
        args: [{ name: "entailment", value: query.entailment }],
      },
    });
  });

  if (yasgui.persistentConfig.getTabs().length === 0) {
    yasgui.addTab(true);
  }

  window.conflictGraphYasgui = yasgui;
})();

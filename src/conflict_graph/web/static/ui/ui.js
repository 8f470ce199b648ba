// The query page: YASGUI on this server's SPARQL endpoint, one tab per named query.
//
// Everything the page needs comes from the JSON block #cg-ui-config that the server renders.
// The tabs are listed in the side menu (#cg-tab-list), not as a row of tabs above the editor;
// result cells are shown whole (no ellipsis); a project IRI in a result opens its page on this
// server instead of leaving for https://w3id.org/conflict-graph/.
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

  // Results: project IRIs link to their local page, in the same window; cells are not ellipsed.
  var Table = Yasgui.Yasr.plugins.table;
  var iriLink = Table.prototype.getUriLinkFromBinding;
  var projectHref = new RegExp("href=([\"'])" + config.iriBase.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"), "g");
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    var html = iriLink.call(this, binding, prefixes);
    if (binding.value.indexOf(config.iriBase) !== 0) return html;
    return html.replace(projectHref, "href=$1" + config.localRoot + "/")
      .replace(/ target=(["'])_blank\1/, "").replace(/ rel=(["'])noopener noreferrer\1/, "");
  };
  var drawTable = Table.prototype.draw;
  Table.prototype.draw = function (settings) {
    if (!this.cgWhole) {
      this.persistentConfig = Object.assign({}, this.persistentConfig, { isEllipsed: false });
      this.cgWhole = true;
    }
    return drawTable.call(this, settings);
  };

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
    yasqe: { value: config.newTabQuery, editorHeight: "240px" },
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

  // The side menu: one entry per tab (the named queries first), the active one marked.
  var list = document.getElementById("cg-tab-list");
  var description = document.getElementById("cg-query-description");
  var descriptions = {};
  config.queries.forEach(function (query) { descriptions["query-" + query.name] = query.description; });

  function drawMenu() {
    var active = yasgui.persistentConfig.currentId();
    var links = {};
    list.querySelectorAll("a[data-tab]").forEach(function (link) { links[link.dataset.tab] = link; });
    yasgui.persistentConfig.getTabs().forEach(function (id) {
      var link = links[id];
      if (!link) {
        var item = document.createElement("li");
        link = document.createElement("a");
        link.href = "#";
        link.dataset.tab = id;
        item.appendChild(link);
        list.appendChild(item);
        links[id] = link;
      }
      var tab = yasgui.getTab(id);
      if (tab && !descriptions[id]) link.textContent = tab.getName();
      link.classList.toggle("active", id === active);
      if (id === active) link.setAttribute("aria-current", "true"); else link.removeAttribute("aria-current");
    });
    Object.keys(links).forEach(function (id) {
      if (yasgui.persistentConfig.getTabs().indexOf(id) < 0) links[id].parentNode.remove();
    });
    description.textContent = descriptions[active] || "";
  }

  list.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-tab]");
    if (!link) return;
    event.preventDefault();
    yasgui.selectTabId(link.dataset.tab);
  });
  document.getElementById("cg-new-tab").addEventListener("click", function () { yasgui.addTab(true); });
  ["tabSelect", "tabAdd", "tabClose", "tabChange"].forEach(function (name) {
    yasgui.on(name, function () { window.setTimeout(drawMenu, 0); });
  });
  drawMenu();

  window.conflictGraphYasgui = yasgui;
})();

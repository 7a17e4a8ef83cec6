// Regroup (web/build.py links this into index.html): discreet mode's look for a home screen.
//
// What a browser shows for an installed web app (its name under the icon, the icon, the app switcher's title)
// comes from the manifest and the apple-touch-icon that the page links at the moment the person chooses
// "Install" or "Add to Home Screen". Python runs in a web worker and cannot reach this page's <head>; what it
// does set is the tab's title: "Notes" in discreet mode, "Regroup" otherwise (screens/shell.py). This script
// follows that title, links the matching manifest and icons, and remembers the choice in this origin's
// localStorage so that the next start links the neutral ones before Python has even started.
(function () {
  "use strict";
  var KEY = "regroup-look";
  var LOOKS = {
    notes: {manifest: "manifest-notes.json", icon: "icons/notes-favicon.png",
            touch: "icons/notes-apple-touch-icon-192.png", name: "Notes"},
    regroup: {manifest: "manifest.json", icon: "favicon.png", touch: "icons/apple-touch-icon-192.png",
              name: "Regroup"}
  };
  var TITLES = {"Notes": "notes", "Regroup": "regroup"};

  function setHref(selector, href) {
    var el = document.querySelector(selector);
    if (el && el.getAttribute("href") !== href) el.setAttribute("href", href);
  }

  function apply(name) {
    var look = LOOKS[name];
    setHref('link[rel="manifest"]', look.manifest);
    setHref('link[rel="icon"]', look.icon);
    setHref('link[rel="apple-touch-icon"]', look.touch);
    var title = document.querySelector('meta[name="apple-mobile-web-app-title"]');
    if (title) title.setAttribute("content", look.name);
    document.documentElement.setAttribute("data-regroup-look", name);
  }

  function remembered() {
    try { return localStorage.getItem(KEY) === "notes" ? "notes" : "regroup"; } catch (e) { return "regroup"; }
  }

  function follow() {
    var name = TITLES[document.title];
    if (!name) return;  // a title the app did not set (none other is used today)
    try { localStorage.setItem(KEY, name); } catch (e) { /* private mode: the look still follows this visit */ }
    apply(name);
  }

  apply(remembered());
  // The page starts with <title>Notes</title> (neutral while loading), so only a title the app sets counts:
  // a change of the <title> element, which Flutter replaces whenever the app sets one, even to the same words.
  var watched = document.querySelector("title");
  if (watched && window.MutationObserver) {
    new MutationObserver(follow).observe(watched, {childList: true, characterData: true, subtree: true});
  }
})();

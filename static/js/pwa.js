// Registers the offline register's service worker on the pages that ask for
// it (data-service-worker, data-scope), so the app shell works with no network.
(function () {
  const host = document.querySelector("[data-service-worker]");
  if (!host || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(host.dataset.serviceWorker, { scope: host.dataset.scope })
    .catch(() => {
      // No worker (a private window, an old phone): the page still works
      // online, and says so when the network is gone.
    });
})();

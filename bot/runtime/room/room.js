// The room's page of a list of speakers: polls its state every second and redraws it, the
// time used ticking between polls. Text goes in with textContent: nothing is read as markup.
"use strict";
(function () {
  const stateUrl = document.body.dataset.state;
  const element = (id) => document.getElementById(id);
  let current = null;
  let fetchedAt = 0;

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function tick() {
    const used = element("used");
    if (!current) {
      used.textContent = "";
      return;
    }
    const spent = current.used + (Date.now() - fetchedAt) / 1000;
    // Left to right even on a right-to-left page: "1:20 / 3:00".
    used.textContent = "\u2066" + clock(spent) + " / " + clock(current.limit) + "\u2069";
    used.classList.toggle("over", spent > current.limit);
  }

  function draw(state) {
    document.title = state.title;
    element("title").textContent = state.title;
    element("now-label").textContent = state.labels.now;
    element("next-label").textContent = state.labels.next;
    current = state.current;
    fetchedAt = Date.now();
    element("speaker").textContent = current ? current.name : state.labels.nobody;
    const next = element("next");
    next.replaceChildren(
      ...state.next.map((turn) => {
        const item = document.createElement("li");
        item.textContent = turn.number + ". " + turn.name;
        return item;
      })
    );
    element("remaining").textContent = state.labels.remaining;
    document.body.dataset.revision = String(state.revision);
    tick();
  }

  async function poll() {
    try {
      const response = await fetch(stateUrl, { cache: "no-store" });
      if (response.ok) {
        draw(await response.json());
      } else if (response.status === 404) {
        element("speaker").textContent = "—";
        return; // the link was revoked: stop asking
      }
    } catch (error) {
      // the network came and went: the next poll tries again
    }
    setTimeout(poll, 1000);
  }

  setInterval(tick, 250);
  poll();
})();

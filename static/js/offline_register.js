// The offline register (households/offline_register.html).
//
// The register of one village is kept in IndexedDB: each household with the
// values last known on the server ("server"), the values on the phone
// ("values") and its version. An edit queues a change holding, per field,
// the value it started from (its base) and the new one; the server writes a
// field only while it still holds that base, and answers a conflict
// otherwise, which is shown here for the head to choose. Each change has
// its own id, made here, so sending it again after a lost answer is safe.
"use strict";

(function () {
  const root = document.getElementById("offline");
  if (!root) return;
  const T = JSON.parse(document.getElementById("offline-texts").textContent);
  const $ = (id) => document.getElementById(id);
  const DB_NAME = "ntm-offline";
  let db = null;
  let register = null; // meta: village, rules, surveys, platforms, user
  let households = new Map();
  let queue = [];
  let conflicts = [];
  let problems = [];
  let syncing = false;
  let foreign = false; // the phone holds another user's unsent changes

  // -- IndexedDB ------------------------------------------------------------------

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const d = request.result;
        d.createObjectStore("meta");
        d.createObjectStore("households", { keyPath: "code" });
        d.createObjectStore("queue", { keyPath: "id" });
        d.createObjectStore("conflicts", { keyPath: "id" });
        d.createObjectStore("problems", { keyPath: "id" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function tx(stores, mode, work) {
    return new Promise((resolve, reject) => {
      const t = db.transaction(stores, mode);
      const result = work(t);
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  function readAll(store) {
    return new Promise((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function readMeta() {
    return new Promise((resolve, reject) => {
      const request = db.transaction("meta").objectStore("meta").get("register");
      request.onsuccess = () => resolve(request.result || null);
      request.onerror = () => reject(request.error);
    });
  }

  async function load() {
    register = await readMeta();
    households = new Map((await readAll("households")).map((h) => [h.code, h]));
    queue = (await readAll("queue")).sort((a, b) => a.seq - b.seq);
    conflicts = await readAll("conflicts");
    problems = await readAll("problems");
  }

  function put(store, value) {
    // "meta" holds one record, under a key of its own.
    return tx([store], "readwrite", (t) =>
      store === "meta" ? t.objectStore(store).put(value, "register") : t.objectStore(store).put(value),
    );
  }

  function remove(store, key) {
    return tx([store], "readwrite", (t) => t.objectStore(store).delete(key));
  }

  // -- words and figures ----------------------------------------------------------

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  }

  function two(n) {
    return String(n).padStart(2, "0");
  }

  function when(iso) {
    const d = new Date(iso);
    return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  function shown(name, value) {
    if (value === true) return T.yes;
    if (value === false) return T.no;
    if (Array.isArray(value)) return value.length ? value.join(", ") : T.empty;
    if (value === null || value === undefined || value === "") return T.empty;
    if (name === "lat" || name === "lon") return String(value).replace(".", ",");
    return String(value);
  }

  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "d")
      .toLowerCase();
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function same(name, a, b) {
    const norm = (v) => {
      if (v === null || v === undefined || v === "") return name === "ecommerce_platforms" ? "[]" : "";
      if (Array.isArray(v)) return JSON.stringify(v.map((x) => String(x).toLowerCase()).sort());
      if (name === "lat" || name === "lon") return String(Number(v));
      return String(v);
    };
    return norm(a) === norm(b);
  }

  function element(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key === "for" || key === "role") node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // -- what the page shows --------------------------------------------------------

  function showNetwork() {
    const badge = $("network");
    const online = navigator.onLine;
    badge.textContent = online ? T.online : T.offline;
    badge.className = "badge " + (online ? "badge-online" : "badge-offline");
  }

  function say(text) {
    $("sync-message").textContent = text;
  }

  function render() {
    $("pending-count").textContent = fill(T.pending, { n: queue.length });
    $("sync-button").disabled = syncing;
    if (register) {
      $("register-info").textContent = fill(T.downloaded, {
        village: register.village.name,
        commune: register.village.commune,
        n: households.size,
        time: when(register.downloaded_at),
      });
      $("village-choice").value = register.village.code;
    }
    renderConflicts();
    renderProblems();
    renderHouseholds();
  }

  function renderHouseholds() {
    const list = $("household-list");
    const terms = fold($("household-search").value).split(/\s+/).filter(Boolean);
    const pendingCodes = new Set(queue.filter((c) => c.kind === "household").map((c) => c.code));
    const conflictCodes = new Set(conflicts.map((c) => c.code));
    const rows = [...households.values()].sort((a, b) => a.code.localeCompare(b.code));
    const items = [];
    for (const h of rows) {
      const v = h.values;
      const text = fold(`${h.code} ${v.head_name} ${v.address} ${v.address_code}`);
      if (!terms.every((t) => text.includes(t))) continue;
      const badges = element("span", { className: "badges" });
      if (pendingCodes.has(h.code)) badges.append(element("span", { className: "badge badge-pending", text: T.badge_pending }));
      if (conflictCodes.has(h.code)) badges.append(element("span", { className: "badge badge-conflict", text: T.badge_conflict }));
      if (answeredAll(h.code)) badges.append(element("span", { className: "badge badge-yes", text: T.badge_answered }));
      const actions = element(
        "span",
        { className: "row-actions" },
        element("button", { type: "button", className: "secondary", text: T.edit, "data-edit": h.code }),
        surveys().length ? element("button", { type: "button", className: "secondary", text: T.paper, "data-paper": h.code }) : null,
      );
      items.push(
        element(
          "li",
          { "data-code": h.code },
          element("span", { className: "who", text: `${h.code} — ${v.head_name}` }),
          element("span", { className: "where", text: [v.address, v.phone].filter(Boolean).join(" · ") }),
          badges,
          actions,
        ),
      );
    }
    list.replaceChildren(...items);
    if (!items.length && households.size) list.append(element("li", { text: T.none_found }));
    $("household-count").textContent = households.size ? fill(T.count, { n: households.size }) : "";
  }

  function renderConflicts() {
    $("conflicts").hidden = !conflicts.length;
    const labels = register ? register.rules.labels : {};
    $("conflict-list").replaceChildren(
      ...conflicts.map((conflict) => {
        const form = element("form", { className: "conflict", "data-conflict": conflict.id });
        form.append(element("p", { text: fill(T.conflict_intro, { code: conflict.code }) }));
        for (const [name, sides] of Object.entries(conflict.fields)) {
          const group = element("fieldset", { className: "conflict-field" });
          group.append(element("legend", { text: labels[name] || name }));
          for (const [side, label] of [["server", T.on_server], ["phone", T.on_phone]]) {
            const input = element("input", { type: "radio", name, value: side, required: true });
            if (side === "server") input.checked = true;
            group.append(
              element(
                "label",
                {},
                input,
                element("span", { className: "side", text: label + ":" }),
                element("span", { className: "value", text: shown(name, sides[side]) }),
              ),
            );
          }
          form.append(group);
        }
        form.append(element("button", { type: "submit", text: T.keep_choice }));
        return form;
      }),
    );
  }

  function renderProblems() {
    $("problems").hidden = !problems.length;
    $("problem-list").replaceChildren(
      ...problems.map((problem) => {
        const detail = [problem.detail, ...Object.values(problem.errors || {}).flat()].filter(Boolean).join(" ");
        const text = fill(problem.change.kind === "household" ? T.problem_household : T.problem_paper, {
          code: problem.change.code,
          detail,
        });
        return element(
          "li",
          {},
          element("span", { text }),
          element(
            "span",
            { className: "row-actions" },
            element("button", { type: "button", className: "secondary", text: T.retry, "data-retry": problem.id }),
            element("button", { type: "button", className: "secondary", text: T.discard, "data-discard": problem.id }),
          ),
        );
      }),
    );
  }

  // -- downloading the register ---------------------------------------------------

  async function download(village) {
    if (queue.length || conflicts.length) {
      say(T.replace_refused);
      return;
    }
    say(T.downloading);
    let data;
    try {
      const response = await fetch(`${root.dataset.registerUrl}?village=${encodeURIComponent(village)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 401) return signIn();
      if (!response.ok) return say(T.download_refused);
      data = await response.json();
    } catch (error) {
      return say(T.failed);
    }
    const { households: rows, ...meta } = data;
    await tx(["meta", "households", "problems"], "readwrite", (t) => {
      t.objectStore("households").clear();
      t.objectStore("problems").clear();
      for (const row of rows) {
        t.objectStore("households").put({
          code: row.code,
          version: row.version,
          server: row.values,
          values: { ...row.values },
        });
      }
      t.objectStore("meta").put(meta, "register");
    });
    await load();
    say("");
    render();
  }

  // -- editing a household --------------------------------------------------------

  const householdForm = $("household-form");
  const paperForm = $("paper-form");

  function openHousehold(code, values) {
    const h = households.get(code);
    if (!h) return;
    values = values || h.values;
    householdForm.dataset.code = code;
    householdForm.querySelector("[data-code]").textContent = code;
    for (const input of householdForm.elements) {
      if (!input.name) continue;
      const value = values[input.name];
      if (input.name === "ecommerce_platforms") {
        input.checked = (value || []).some((p) => p.toLowerCase() === input.value.toLowerCase());
      } else if (input.type === "checkbox") {
        input.checked = Boolean(value);
      } else {
        input.value = value === null || value === undefined ? "" : String(value);
      }
    }
    clearErrors(householdForm);
    paperForm.hidden = true;
    householdForm.hidden = false;
    householdForm.scrollIntoView({ block: "start" });
    householdForm.querySelector("input:not([type=hidden])").focus({ preventScroll: true });
  }

  function formValues() {
    const values = { ecommerce_platforms: [] };
    for (const input of householdForm.elements) {
      if (!input.name) continue;
      if (input.name === "ecommerce_platforms") {
        if (input.checked) values.ecommerce_platforms.push(input.value);
      } else if (input.type === "checkbox") {
        values[input.name] = input.checked;
      } else if (input.type === "number" && register.rules.counts[input.name]) {
        values[input.name] = input.value.trim() === "" ? null : Number(input.value);
      } else {
        values[input.name] = input.value.trim();
      }
    }
    for (const name of ["lat", "lon"]) {
      const text = (values[name] || "").replace(",", ".");
      values[name] = text === "" ? null : text;
    }
    return values;
  }

  // The rules of ntm/households/validation.py that need no database, with
  // the server's own messages (downloaded with the register).
  function check(values) {
    const rules = register.rules;
    const errors = {};
    const add = (name, message) => (errors[name] = errors[name] || []).push(message);
    if (!values.head_name) add("head_name", rules.required);
    for (const [name, message] of Object.entries(rules.markup.messages)) {
      if (values[name] && new RegExp(rules.markup.pattern).test(values[name])) add(name, message);
    }
    for (const [name, rule] of Object.entries(rules.counts)) {
      const n = values[name];
      if (n === null || !Number.isInteger(n) || n < rule.low || n > rule.high) add(name, rule.message);
    }
    if (!errors.members && !errors.health_app_members && values.health_app_members > values.members) {
      add("health_app_members", rules.health);
    }
    if (values.phone) {
      let digits = values.phone.replace(new RegExp(rules.phone.separators, "g"), "");
      if (digits.startsWith("+84")) digits = "0" + digits.slice(3);
      else if (digits.startsWith("84") && (digits.length === 11 || digits.length === 12)) digits = "0" + digits.slice(2);
      if (new RegExp(`^(?:${rules.phone.pattern})$`).test(digits)) values.phone = digits;
      else add("phone", rules.phone.message.replace("{value}", values.phone));
    }
    if ((values.lat === null) !== (values.lon === null)) add("lat", rules.point.both);
    else if (values.lat !== null) {
      const [lowLat, highLat, lowLon, highLon] = rules.point.area.map(Number);
      const lat = Number(values.lat);
      const lon = Number(values.lon);
      if (!(lat >= lowLat && lat <= highLat && lon >= lowLon && lon <= highLon)) add("lat", rules.point.outside);
    }
    return errors;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-errors]").forEach((list) => {
      list.hidden = true;
      list.replaceChildren();
    });
    const box = form.querySelector("[data-form-error]");
    box.hidden = true;
    box.textContent = "";
  }

  function showErrors(form, errors) {
    clearErrors(form);
    const box = form.querySelector("[data-form-error]");
    for (const [name, messages] of Object.entries(errors)) {
      const list = form.querySelector(`[data-errors="${name}"]`);
      if (list) {
        list.hidden = false;
        list.replaceChildren(...messages.map((m) => element("li", { text: m })));
      } else {
        box.hidden = false;
        box.textContent += messages.join(" ") + " ";
      }
    }
  }

  async function queueChange(change) {
    change.seq = Date.now() + Math.random();
    queue.push(change);
    await put("queue", change);
  }

  async function saveHousehold(code, values) {
    const h = households.get(code);
    const changed = Object.keys(values).filter((name) => !same(name, values[name], h.values[name]));
    if (!changed.length) return say(T.unchanged);
    // One unsent change per household gathers the edits; once sent, it is
    // left as it was sent (its id may already be applied) and a new one
    // starts from the values it set.
    let change = queue.find((c) => c.kind === "household" && c.code === code && !c.sent);
    if (!change) {
      change = { id: newId(), kind: "household", code, base_version: h.version, base: {}, changes: {} };
      queue.push(change);
      change.seq = Date.now() + Math.random();
    }
    for (const name of changed) {
      if (!(name in change.base)) change.base[name] = h.values[name];
      change.changes[name] = values[name];
      if (same(name, change.changes[name], change.base[name])) {
        delete change.changes[name];
        delete change.base[name];
      }
    }
    h.values = { ...h.values, ...values };
    await put("households", h);
    if (Object.keys(change.changes).length) await put("queue", change);
    else {
      queue = queue.filter((c) => c !== change);
      await remove("queue", change.id);
    }
    say(fill(T.saved, { code }));
  }

  householdForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = householdForm.dataset.code;
    const values = formValues();
    const errors = check(values);
    if (Object.keys(errors).length) return showErrors(householdForm, errors);
    householdForm.hidden = true;
    await saveHousehold(code, values);
    render();
    sync();
  });

  // -- paper survey answers -------------------------------------------------------

  function surveys() {
    return (register && register.surveys) || [];
  }

  function answered(survey, code) {
    return (
      survey.answered.includes(code) ||
      queue.some((c) => c.kind === "paper_response" && c.survey === survey.id && c.code === code)
    );
  }

  function answeredAll(code) {
    const list = surveys();
    return list.length > 0 && list.every((s) => answered(s, code));
  }

  function shownQuestions(survey, raw) {
    const shown = new Set();
    return survey.questions.filter((q) => {
      const ok =
        q.relevant_question === null ||
        (shown.has(q.relevant_question) && (raw[q.relevant_question] || []).includes(q.relevant_choice));
      if (ok) shown.add(q.id);
      return ok;
    });
  }

  function paperRaw() {
    const raw = {};
    for (const input of paperForm.querySelectorAll("[data-question]")) {
      const id = Number(input.dataset.question);
      raw[id] = raw[id] || [];
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) continue;
      if (input.value.trim()) raw[id].push(input.value.trim());
    }
    return raw;
  }

  function renderQuestions(survey, raw) {
    const box = paperForm.querySelector("[data-questions]");
    const visible = new Set(shownQuestions(survey, raw).map((q) => q.id));
    box.replaceChildren(
      ...survey.questions.map((q) => {
        const set = element("fieldset", { "data-for-question": q.id });
        set.hidden = !visible.has(q.id);
        set.append(element("legend", { text: q.text + (q.required ? " *" : "") }));
        const values = raw[q.id] || [];
        const option = (type, value, label) => {
          const input = element("input", { type, name: `q${q.id}`, value, "data-question": q.id });
          input.checked = values.includes(value);
          return element("label", { className: "option" }, input, " " + label);
        };
        if (q.kind === "single") q.choices.forEach((c) => set.append(option("radio", c.value, c.label)));
        else if (q.kind === "multiple") q.choices.forEach((c) => set.append(option("checkbox", c.value, c.label)));
        else if (q.kind === "rating") ["1", "2", "3", "4", "5"].forEach((v) => set.append(option("radio", v, v)));
        else {
          const area = element("textarea", { name: `q${q.id}`, rows: 3, "data-question": q.id });
          area.value = values.join("\n");
          area.setAttribute("aria-label", q.text);
          set.append(area);
        }
        set.append(element("ul", { className: "errorlist", "data-errors": String(q.id), hidden: true }));
        return set;
      }),
    );
  }

  function openPaper(code, answers) {
    const list = surveys();
    paperForm.dataset.code = code;
    paperForm.querySelector("[data-code]").textContent = code;
    const select = $("paper-survey");
    select.replaceChildren(...list.map((s) => element("option", { value: String(s.id), text: s.title })));
    const survey = list[0];
    renderQuestions(survey, answers || {});
    clearErrors(paperForm);
    householdForm.hidden = true;
    paperForm.hidden = false;
    if (answered(survey, code) && !answers) showErrors(paperForm, { form: [T.answered] });
    paperForm.scrollIntoView({ block: "start" });
  }

  function currentSurvey() {
    return surveys().find((s) => String(s.id) === $("paper-survey").value);
  }

  $("paper-survey").addEventListener("change", () => {
    renderQuestions(currentSurvey(), {});
    clearErrors(paperForm);
  });

  paperForm.addEventListener("change", (event) => {
    if (!event.target.dataset.question) return;
    const survey = currentSurvey();
    const visible = new Set(shownQuestions(survey, paperRaw()).map((q) => q.id));
    paperForm.querySelectorAll("[data-for-question]").forEach((set) => {
      set.hidden = !visible.has(Number(set.dataset.forQuestion));
    });
  });

  // The rules of ntm/surveys/services.py _clean_answers, on the phone.
  function checkPaper(survey, raw) {
    const errors = {};
    for (const q of shownQuestions(survey, raw)) {
      const values = raw[q.id] || [];
      if (!values.length) {
        if (q.required) errors[q.id] = [T.required];
      } else if (q.kind === "rating" && !(values.length === 1 && /^[1-5]$/.test(values[0]))) {
        errors[q.id] = [T.rating];
      } else if (q.kind === "single" && values.length > 1) {
        errors[q.id] = [T.choice];
      } else if (q.kind === "text" && values.join("\n").length > 2000) {
        errors[q.id] = [T.too_long];
      }
    }
    return errors;
  }

  paperForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = paperForm.dataset.code;
    const survey = currentSurvey();
    if (answered(survey, code)) return showErrors(paperForm, { form: [T.answered] });
    const raw = paperRaw();
    const visible = new Set(shownQuestions(survey, raw).map((q) => q.id));
    const answers = {};
    for (const [id, values] of Object.entries(raw)) if (visible.has(Number(id)) && values.length) answers[id] = values;
    const errors = checkPaper(survey, raw);
    if (Object.keys(errors).length) {
      showErrors(paperForm, errors);
      paperForm.querySelector("[data-form-error]").hidden = false;
      paperForm.querySelector("[data-form-error]").textContent = T.check;
      return;
    }
    await queueChange({ id: newId(), kind: "paper_response", survey: survey.id, code, answers });
    paperForm.hidden = true;
    say(fill(T.paper_saved, { code }));
    render();
    sync();
  });

  // -- conflicts and refusals -----------------------------------------------------

  $("conflict-list").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const conflict = conflicts.find((c) => c.id === form.dataset.conflict);
    const h = households.get(conflict.code);
    const change = { id: newId(), kind: "household", code: conflict.code, base_version: h && h.version, base: {}, changes: {} };
    for (const [name, sides] of Object.entries(conflict.fields)) {
      const side = form.elements[name].value;
      if (side === "phone") {
        change.base[name] = sides.server;
        change.changes[name] = sides.phone;
      }
      if (h) h.values[name] = sides[side];
    }
    if (h) await put("households", h);
    conflicts = conflicts.filter((c) => c !== conflict);
    await remove("conflicts", conflict.id);
    if (Object.keys(change.changes).length) await queueChange(change);
    say(fill(T.resolved, { code: conflict.code }));
    render();
    sync();
  });

  $("problem-list").addEventListener("click", async (event) => {
    const id = event.target.dataset.retry || event.target.dataset.discard;
    if (!id) return;
    const problem = problems.find((p) => p.id === id);
    problems = problems.filter((p) => p !== problem);
    await remove("problems", id);
    render();
    if (event.target.dataset.retry) {
      const change = problem.change;
      if (change.kind === "household") {
        const h = households.get(change.code);
        if (h) openHousehold(change.code, { ...h.values, ...change.changes });
      } else {
        openPaper(change.code, change.answers);
        $("paper-survey").value = String(change.survey);
        renderQuestions(currentSurvey(), change.answers);
      }
    }
  });

  // -- sending the queue ----------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function signIn() {
    $("sync-message").replaceChildren(
      T.signin + " ",
      element("a", { href: root.dataset.loginUrl, text: T.signin_link }),
    );
  }

  async function sync() {
    if (syncing || foreign || !navigator.onLine) return;
    if (!queue.length) {
      if (!conflicts.length && !problems.length) say(T.nothing);
      return;
    }
    syncing = true;
    const batch = queue.slice(0, 200);
    for (const change of batch) change.sent = true;
    await tx(["queue"], "readwrite", (t) => batch.forEach((c) => t.objectStore("queue").put(c)));
    say(T.syncing);
    render();
    let answers;
    try {
      const response = await fetch(root.dataset.changesUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ changes: batch.map(({ seq, sent, ...change }) => change) }),
      });
      if (response.status === 401 || response.status === 403) {
        syncing = false;
        render();
        return signIn();
      }
      if (!response.ok) throw new Error(String(response.status));
      answers = (await response.json()).results;
    } catch (error) {
      syncing = false;
      say(T.failed);
      render();
      return;
    }
    let done = 0;
    for (const answer of answers) {
      const change = batch.find((c) => c.id === answer.id);
      if (!change) continue;
      await settle(change, answer);
      done += 1;
    }
    syncing = false;
    await load();
    say(fill(T.synced, { n: done, time: when(new Date().toISOString()) }));
    render();
    if (queue.length && navigator.onLine) sync();
  }

  async function settle(change, answer) {
    queue = queue.filter((c) => c !== change);
    await remove("queue", change.id);
    if (answer.status === "applied" || answer.status === "conflict") {
      if (change.kind === "household" && answer.values) {
        const h = households.get(change.code);
        if (h) {
          const later = queue.filter((c) => c.kind === "household" && c.code === change.code);
          h.server = answer.values;
          h.version = answer.version;
          h.values = { ...answer.values };
          for (const c of later) Object.assign(h.values, c.changes);
          const fields = {};
          for (const [name, server] of Object.entries(answer.conflicts || {})) {
            fields[name] = { server, phone: change.changes[name] };
            h.values[name] = change.changes[name];
          }
          await put("households", h);
          if (Object.keys(fields).length) {
            const conflict = { id: change.id, code: change.code, fields };
            await put("conflicts", conflict);
          }
        }
      } else if (change.kind === "paper_response") {
        const survey = surveys().find((s) => s.id === change.survey);
        if (survey && !survey.answered.includes(change.code)) {
          survey.answered.push(change.code);
          await put("meta", register);
        }
      }
      return;
    }
    // Refused or invalid: nothing was written; the phone's values go back
    // to the server's and the change waits for the head to fix or drop it.
    if (change.kind === "household") {
      const h = households.get(change.code);
      if (h) {
        for (const name of Object.keys(change.changes)) h.values[name] = h.server[name];
        await put("households", h);
      }
    }
    await put("problems", { id: change.id, change, detail: answer.detail || "", errors: answer.errors || {} });
  }

  // -- wiring ---------------------------------------------------------------------

  $("download-form").addEventListener("submit", (event) => {
    event.preventDefault();
    download($("village-choice").value);
  });
  $("sync-button").addEventListener("click", () => {
    if (!navigator.onLine) return say(T.failed);
    sync();
  });
  $("household-search").addEventListener("input", renderHouseholds);
  $("household-list").addEventListener("click", (event) => {
    if (event.target.dataset.edit) openHousehold(event.target.dataset.edit);
    if (event.target.dataset.paper) openPaper(event.target.dataset.paper);
  });
  for (const form of [householdForm, paperForm]) {
    form.querySelector("[data-close]").addEventListener("click", () => (form.hidden = true));
  }
  window.addEventListener("online", () => {
    showNetwork();
    sync();
  });
  window.addEventListener("offline", showNetwork);
  // A send that failed on a weak network is tried again while the page is
  // open, not only when the phone reports coming back online.
  setInterval(() => {
    if (queue.length && navigator.onLine) sync();
  }, 60_000);

  (async function start() {
    showNetwork();
    db = await openDb();
    await load();
    // A register another user downloaded on this phone is never shown nor
    // sent under this user's name: it is dropped, unless it still holds
    // unsent changes, which wait for their author to sign in.
    if (register && String(register.user) !== root.dataset.user) {
      if (queue.length) {
        foreign = true;
        $("register-info").textContent = T.foreign;
        $("sync-button").disabled = true;
        $("download-form").hidden = true;
        return;
      }
      await tx(["meta", "households", "conflicts", "problems"], "readwrite", (t) => {
        ["meta", "households", "conflicts", "problems"].forEach((s) => t.objectStore(s).clear());
      });
      await load();
    }
    render();
    if (!register) {
      const villages = $("village-choice").options;
      if (villages.length === 1 && navigator.onLine) await download(villages[0].value);
      else say(T.download_first);
    }
    root.dataset.ready = "true";
    sync();
  })();
})();

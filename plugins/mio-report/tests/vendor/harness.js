window.addEventListener("load", async () => {
  const out = {};
  try {
    const r = await axe.run(document, { resultTypes: ["violations"] });
    out.violations = r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  } catch (e) { out.error = String(e); }
  out.text = document.body.innerText;
  out.headline = [...document.querySelectorAll("#headline figure svg[role=img]")].map((s) => ({
    bottom: s.getBoundingClientRect().bottom + window.scrollY, label: s.getAttribute("aria-label"),
  }));
  out.first = document.querySelector("section").id;
  out.headings = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => +h.tagName[1]);
  const pre = document.createElement("pre");
  pre.id = "mio-test-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});

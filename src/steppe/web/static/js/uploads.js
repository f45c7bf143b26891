// The scenario a user uploaded (its TOML text stays in the page; the server stores nothing),
// and how each request names a scenario: a bundled name, or the uploaded text.
export const UPLOADED = "upload:";  // the <option> value that stands for the uploaded scenario
const upload = { text: null, title: null };

export function setUpload(text, title) {
  upload.text = text;
  upload.title = title;
  for (const sel of ["#scenario", "#impact-scenario", "#route-scenario"]) {
    const select = document.querySelector(sel);
    let opt = select.querySelector(`option[value="${UPLOADED}"]`);
    if (!opt) { opt = document.createElement("option"); opt.value = UPLOADED; select.append(opt); }
    opt.textContent = `Uploaded: ${title}`;
  }
}

// The request fields for a scenario <select> value: {scenario} or {scenario_toml}.
export function scenarioFields(value, many = false) {
  if (!value) return {};
  if (value === UPLOADED) return upload.text ? { scenario_toml: upload.text } : {};
  return { scenario: many ? [value] : value };
}

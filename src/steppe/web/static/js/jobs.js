// Long computations as background jobs (POST /api/jobs), with a progress bar fed by the job's
// progress while it runs.  The bar appears only when the job takes over a second.
import { ApiError, getJSON, postJSON } from "./api.js";

const POLL_MS = 400;
const SHOW_AFTER_MS = 1000;
// <body data-progress-after-ms="0"> shows the bar from the first poll (the browser tests
// use it, so a job that got faster than a second still shows its bar)
const showAfterMs = () => Number(document.body.dataset.progressAfterMs ?? SHOW_AFTER_MS);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Run a job and return its result; `box` holds a <progress> and a .elapsed text.
export async function runJob(body, box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector(".elapsed");
  const started = performance.now();
  let job = await postJSON("/api/jobs", body);
  try {
    while (job.status === "queued" || job.status === "running") {
      await sleep(POLL_MS);
      job = await getJSON(job.status_url);
      if (performance.now() - started >= showAfterMs()) {
        box.hidden = false;
        // A job that reports no progress until done (a comparison) shows a moving bar.
        if (job.progress > 0) bar.value = job.progress; else bar.removeAttribute("value");
        const share = job.progress > 0 ? `${Math.round(100 * job.progress)} % done, ` : "";
        text.textContent = `${job.status === "queued" ? "waiting for a free worker" : "working"}: ${share}${Math.round(job.elapsed_s)} s`;
      }
    }
  } finally {
    box.hidden = true;
  }
  if (job.status === "failed") throw new ApiError(422, { error: job.error });
  return getJSON(job.result_url);
}

// Check-in page: read a badge's QR code with the camera and submit it (templates/events/checkin/page.html).
// Uses the browser's BarcodeDetector where it exists, else the vendored jsQR on camera frames.
// Without a camera (or on a plain-http address, where browsers refuse it) the page says so and staff
// type the code or search by name.
(function () {
  "use strict";
  const root = document.querySelector("[data-checkin-scanner]");
  if (!root) return;
  const video = root.querySelector("[data-scanner-video]");
  const canvas = root.querySelector("[data-scanner-canvas]");
  const start = root.querySelector("[data-scanner-start]");
  const stop = root.querySelector("[data-scanner-stop]");
  const unavailable = root.querySelector("[data-scanner-unavailable]");
  const form = root.querySelector("[data-scanner-form]");
  const input = form.querySelector("input[name=code]");
  let stream = null;
  let detector = null;
  let last = { code: "", at: 0 };
  const hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!hasCamera) {
    unavailable.hidden = false;
    start.hidden = true;
    return;
  }

  function submit(code) {
    const now = Date.now();
    if (code === last.code && now - last.at < 4000) return; // the same badge held in front of the camera
    last = { code: code, at: now };
    input.value = code;
    if (navigator.vibrate) navigator.vibrate(80);
    form.requestSubmit();
  }

  async function detect() {
    if (!stream) return;
    if (video.readyState >= 2) {
      try {
        if (detector) {
          const codes = await detector.detect(video);
          if (codes.length) submit(codes[0].rawValue);
        } else if (window.jsQR) {
          const width = video.videoWidth, height = video.videoHeight;
          canvas.width = width;
          canvas.height = height;
          const context = canvas.getContext("2d", { willReadFrequently: true });
          context.drawImage(video, 0, 0, width, height);
          const found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
            inversionAttempts: "dontInvert",
          });
          if (found && found.data) submit(found.data);
        }
      } catch (error) {
        // A frame that could not be read: try the next one.
      }
    }
    setTimeout(detect, 250);
  }

  async function startCamera() {
    try {
      if ("BarcodeDetector" in window) {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      }
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      unavailable.hidden = false;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    start.hidden = true;
    stop.hidden = false;
    detect();
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  }

  start.addEventListener("click", startCamera);
  stop.addEventListener("click", stopCamera);
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) input.value = "";
  });
})();

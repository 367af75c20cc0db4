// The PUT form: sends the chosen file as the raw body of PUT /<name> and reloads the listing.
"use strict";
document.getElementById("put-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = event.target.elements.file.files[0];
  const status = document.getElementById("put-status");
  status.textContent = `Uploading ${file.name}…`;
  try {
    const response = await fetch(`/${encodeURIComponent(file.name)}`, {
      method: "PUT",
      headers: { "Content-Type": file.type || "application/octet-stream" },
      body: file,
    });
    if (!response.ok) {
      status.textContent = `Refused: ${response.status} ${response.statusText}`;
      return;
    }
    location.reload();
  } catch (error) {
    status.textContent = `Failed: ${error.message}`;
  }
});

// A horizontal bar chart of ratios as a standalone SVG, with no chart library: one group of
// bars per scenario, one bar per implementation, a line at the reference (1.0x), the value
// written at the end of each bar, and "missing" where a peer could not run.
"use strict";

const ROW = 22;
const GROUP_GAP = 14;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 420;
const RIGHT = 90;
const TOP = 68;
const COLORS = { tornado: "#b5451b", reference: "#555", peer: "#8aa4c8" };

function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/**
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} chart.subtitle
 * @param {Array<{label: string, bars: Array<{label: string, value: number|null, kind: "tornado"|"reference"|"peer", note?: string}>}>} chart.groups
 * @returns {string} the SVG document
 */
function barChart({ title, subtitle, groups }) {
  const values = groups.flatMap((group) => group.bars.map((bar) => bar.value)).filter((value) => value !== null);
  const max = Math.max(1.2, ...values) * 1.05;
  const scale = (value) => (value / max) * BAR_WIDTH;
  const rows = groups.reduce((count, group) => count + group.bars.length + 1, 0);
  const height = TOP + rows * ROW + groups.length * GROUP_GAP + 30;
  const width = LABEL_WIDTH + BAR_WIDTH + RIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="12" y="40" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  let y = TOP;
  for (const group of groups) {
    parts.push(`<text x="12" y="${y + 14}" font-weight="600">${escapeXml(group.label)}</text>`);
    y += ROW;
    for (const bar of group.bars) {
      parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`);
      if (bar.value === null) {
        parts.push(`<text x="${LABEL_WIDTH + 4}" y="${y + 14}" fill="#999" font-style="italic">${escapeXml(bar.note ?? "missing")}</text>`);
      } else {
        const length = Math.max(1, scale(bar.value));
        parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${length.toFixed(1)}" height="${ROW - 7}" fill="${COLORS[bar.kind]}"/>`);
        parts.push(`<text x="${(LABEL_WIDTH + length + 6).toFixed(1)}" y="${y + 14}">${bar.value.toFixed(2)}x</text>`);
      }
      y += ROW;
    }
    y += GROUP_GAP;
  }
  const one = LABEL_WIDTH + scale(1);
  parts.push(`<line x1="${one.toFixed(1)}" y1="${TOP - 4}" x2="${one.toFixed(1)}" y2="${y - GROUP_GAP}" stroke="#222" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${one.toFixed(1)}" y="${TOP - 8}" text-anchor="middle" fill="#222">1.0x = reference</text>`);
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

module.exports = { barChart, escapeXml };

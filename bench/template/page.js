// The benchmark page, written once per engine: a layout (extends/block or the engine's
// equivalent), an include (the header), an if (the greeting), and a 100-row table whose cells
// are HTML-escaped (every 7th row holds characters that need escaping). Every engine must
// produce exactly the same bytes as the hand-written function; run.js checks it.
"use strict";

function makeData(rowCount = 100) {
  const rows = [];
  for (let i = 1; i <= rowCount; i++) {
    rows.push({
      id: i,
      name: `User ${i}`,
      email: `user${i}@example.com`,
      note: i % 7 === 0 ? `a < b & c > d "quoted" #${i}` : `Note number ${i}`,
      cls: i % 2 ? "odd" : "even",
      active: i % 3 !== 0,
    });
  }
  return {
    title: "Members & <friends>",
    year: 2026,
    user: { name: "Ada <Admin>" },
    nav: [
      { href: "/", label: "Home" },
      { href: "/members?page=2&sort=name", label: "Members" },
      { href: "/about", label: "About & contact" },
    ],
    rows,
  };
}

// @tornado/template and Python Tornado (same tags; expressions are JavaScript vs Python).
const TORNADO = {
  "base.html":
    "<!DOCTYPE html>\n<html><head><title>{% block title %}Site{% end %}</title></head>\n" +
    '<body>{% include "header.html" %}\n<main>{% block content %}{% end %}</main>\n' +
    "<footer>&copy; {{ year }} Example</footer>\n</body></html>\n",
  "header.html": '<header><nav>{% for link in nav %}<a href="{{ link.href }}">{{ link.label }}</a>{% end %}</nav></header>',
  "page.html":
    '{% extends "base.html" %}{% block title %}{{ title }} - Site{% end %}{% block content %}<h1>{{ title }}</h1>\n' +
    '{% if user %}<p class="welcome">Welcome back, {{ user.name }}!</p>{% else %}<p>Please log in.</p>{% end %}\n' +
    "<table>\n" +
    '{% for row in rows %}<tr class="{{ row.cls }}"><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.email }}</td>' +
    "<td>{{ row.note }}</td><td>{% if row.active %}yes{% else %}no{% end %}</td></tr>\n" +
    "{% end %}</table>{% end %}",
};

// Python expressions: dict subscripts instead of property access.
const PYTHON = Object.fromEntries(
  Object.entries(TORNADO).map(([name, source]) => [
    name,
    source.replace(/\b(link|user|row)\.(\w+)/g, '$1["$2"]'),
  ]),
);

const NUNJUCKS = {
  "base.html":
    "<!DOCTYPE html>\n<html><head><title>{% block title %}Site{% endblock %}</title></head>\n" +
    '<body>{% include "header.html" %}\n<main>{% block content %}{% endblock %}</main>\n' +
    "<footer>&copy; {{ year }} Example</footer>\n</body></html>\n",
  "header.html": '<header><nav>{% for link in nav %}<a href="{{ link.href }}">{{ link.label }}</a>{% endfor %}</nav></header>',
  "page.html":
    '{% extends "base.html" %}{% block title %}{{ title }} - Site{% endblock %}{% block content %}<h1>{{ title }}</h1>\n' +
    '{% if user %}<p class="welcome">Welcome back, {{ user.name }}!</p>{% else %}<p>Please log in.</p>{% endif %}\n' +
    "<table>\n" +
    '{% for row in rows %}<tr class="{{ row.cls }}"><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.email }}</td>' +
    "<td>{{ row.note }}</td><td>{% if row.active %}yes{% else %}no{% endif %}</td></tr>\n" +
    "{% endfor %}</table>{% endblock %}",
};

// Eta: layout() + it.body for the layout, include() for the header.
const ETA = {
  "@base":
    "<!DOCTYPE html>\n<html><head><title><%= it.title %> - Site</title></head>\n" +
    '<body><%~ include("@header", it) %>\n<main><%~ it.body %></main>\n' +
    "<footer>&copy; <%= it.year %> Example</footer>\n</body></html>\n",
  "@header":
    '<header><nav><% for (const link of it.nav) { %><a href="<%= link.href %>"><%= link.label %></a><% } %></nav></header>',
  "@page":
    '<% layout("@base") %><h1><%= it.title %></h1>\n' +
    '<% if (it.user) { %><p class="welcome">Welcome back, <%= it.user.name %>!</p><% } else { %><p>Please log in.</p><% } %>\n' +
    "<table>\n" +
    '<% for (const row of it.rows) { %><tr class="<%= row.cls %>"><td><%= row.id %></td><td><%= row.name %></td><td><%= row.email %></td>' +
    "<td><%= row.note %></td><td><% if (row.active) { %>yes<% } else { %>no<% } %></td></tr>\n" +
    "<% } %></table>",
};

// EJS has no layouts: the page includes a top and a bottom partial (the usual EJS idiom).
const EJS = {
  top:
    "<!DOCTYPE html>\n<html><head><title><%= title %> - Site</title></head>\n" +
    '<body><%- include("header", { nav }) %>\n<main>',
  bottom: "</main>\n<footer>&copy; <%= year %> Example</footer>\n</body></html>\n",
  header: '<header><nav><% for (const link of nav) { %><a href="<%= link.href %>"><%= link.label %></a><% } %></nav></header>',
  page:
    '<%- include("top", { title, nav }) %><h1><%= title %></h1>\n' +
    '<% if (user) { %><p class="welcome">Welcome back, <%= user.name %>!</p><% } else { %><p>Please log in.</p><% } %>\n' +
    "<table>\n" +
    '<% for (const row of rows) { %><tr class="<%= row.cls %>"><td><%= row.id %></td><td><%= row.name %></td><td><%= row.email %></td>' +
    "<td><%= row.note %></td><td><% if (row.active) { %>yes<% } else { %>no<% } %></td></tr>\n" +
    '<% } %></table><%- include("bottom", { year }) %>',
};

// Handlebars: the layout partial with inline-partial "blocks", and a header partial.
const HANDLEBARS = {
  layout:
    "<!DOCTYPE html>\n<html><head><title>{{> title}}</title></head>\n" +
    "<body>{{> header}}\n<main>{{> content}}</main>\n" +
    "<footer>&copy; {{year}} Example</footer>\n</body></html>\n",
  header: '<header><nav>{{#each nav}}<a href="{{href}}">{{label}}</a>{{/each}}</nav></header>',
  page:
    '{{#> layout}}{{#*inline "title"}}{{title}} - Site{{/inline}}{{#*inline "content"}}<h1>{{title}}</h1>\n' +
    '{{#if user}}<p class="welcome">Welcome back, {{user.name}}!</p>{{else}}<p>Please log in.</p>{{/if}}\n' +
    "<table>\n" +
    '{{#each rows}}<tr class="{{cls}}"><td>{{id}}</td><td>{{name}}</td><td>{{email}}</td>' +
    "<td>{{note}}</td><td>{{#if active}}yes{{else}}no{{/if}}</td></tr>\n" +
    "{{/each}}</table>{{/inline}}{{/layout}}",
};

// The limit: the same page written by hand, with a tight escape function.
const ESCAPE_TEST = /[&<>"']/;
function escapeHtml(value) {
  const text = String(value);
  if (!ESCAPE_TEST.test(text)) return text;
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    let rep;
    switch (text.charCodeAt(i)) {
      case 38: rep = "&amp;"; break;
      case 60: rep = "&lt;"; break;
      case 62: rep = "&gt;"; break;
      case 34: rep = "&quot;"; break;
      case 39: rep = "&#x27;"; break;
      default: continue;
    }
    if (last !== i) out += text.slice(last, i);
    out += rep;
    last = i + 1;
  }
  return last === text.length ? out : out + text.slice(last);
}

function handWritten(d) {
  let out = "<!DOCTYPE html>\n<html><head><title>" + escapeHtml(d.title) + " - Site</title></head>\n<body><header><nav>";
  for (const link of d.nav) out += '<a href="' + escapeHtml(link.href) + '">' + escapeHtml(link.label) + "</a>";
  out += "</nav></header>\n<main><h1>" + escapeHtml(d.title) + "</h1>\n";
  if (d.user) out += '<p class="welcome">Welcome back, ' + escapeHtml(d.user.name) + "!</p>";
  else out += "<p>Please log in.</p>";
  out += "\n<table>\n";
  for (const row of d.rows) {
    out +=
      '<tr class="' + escapeHtml(row.cls) + '"><td>' + row.id + "</td><td>" + escapeHtml(row.name) +
      "</td><td>" + escapeHtml(row.email) + "</td><td>" + escapeHtml(row.note) + "</td><td>" +
      (row.active ? "yes" : "no") + "</td></tr>\n";
  }
  return out + "</table></main>\n<footer>&copy; " + d.year + " Example</footer>\n</body></html>\n";
}

module.exports = { makeData, TORNADO, PYTHON, NUNJUCKS, ETA, EJS, HANDLEBARS, handWritten };

// The dispatcher's map: our own street network as the base (no tile server), routes, stops and depots.
// Leaflet is served from /static/vendor (fetched from npm at install time) and read from `window.L`.

import { get } from "./api.js";
import { fmtClock, fmtNumber, t } from "./i18n.js";
import { el, label } from "./page.js";

const L = window.L;
export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";

// Distinct, print-safe colours for up to 12 vehicles (then repeated).
export const PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
  "#8c564b", "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39",
];
export const OUTCOME_STROKE = {
  delivered: "#137333", dropped_off: "#137333", picked_up: "#137333", no_show: "#b06000",
  failed: "#c5221f",
};

/** A Leaflet map in `element`: our street network as base map, or tiles when the deployment sets a URL. */
export async function createMap(element, config) {
  const map = L.map(element, { preferCanvas: false, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(OSM_ATTRIBUTION);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 19, attribution: config.tile_attribution || OSM_ATTRIBUTION })
      .addTo(map);
  }
  map.setView([41.02, 40.52], 13); // Rize, until the network says otherwise
  const layers = {
    network: L.layerGroup().addTo(map),
    routes: L.layerGroup().addTo(map),
    depots: L.layerGroup().addTo(map),
    stops: L.layerGroup().addTo(map),
  };
  if (!config.tile_url) await drawNetwork(map, layers.network);
  return { map, layers };
}

async function drawNetwork(map, layer) {
  const network = await get("/api/map/network");
  const streets = L.geoJSON(network, {
    renderer: L.canvas({ padding: 0.2 }),
    interactive: false,
    style: { color: "#9aa0a6", weight: 1, opacity: 0.9 },
  });
  streets.addTo(layer);
  const bounds = streets.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10], animate: false });
}

/** The colour of each vehicle, in the order of the plan's routes. */
export function vehicleColours(routes) {
  return new Map(routes.map((route, i) => [route.vehicle_id, PALETTE[i % PALETTE.length]]));
}

/** Draw a plan: street-following route lines and depots from its GeoJSON, and its stops. */
export function drawPlan(view, geojson, stops, colours, { onStopClick, vehicleName = (id) => id } = {}) {
  const { map, layers } = view;
  for (const layer of Object.values(layers)) if (layer !== layers.network) layer.clearLayers();
  const bounds = L.latLngBounds([]);
  for (const feature of geojson?.features || []) {
    const props = feature.properties || {};
    const geometry = feature.geometry || {};
    if (geometry.type === "LineString" || geometry.type === "MultiLineString") {
      const colour = colours.get(props.vehicle_id) || "#444";
      const line = L.geoJSON(feature, {
        style: { color: colour, weight: 4, opacity: 0.85, className: "kapida-route" },
      });
      line.bindTooltip(vehicleName(props.vehicle_id), { sticky: true });
      line.addTo(layers.routes);
      bounds.extend(line.getBounds());
    } else if (geometry.type === "Point" && props.kind === "depot") {
      const [lon, lat] = geometry.coordinates;
      L.circleMarker([lat, lon], {
        radius: 9, color: "#fff", weight: 2, fillColor: "#202124", fillOpacity: 1, className: "kapida-depot",
      }).bindTooltip(props.name || t("map.depot")).addTo(layers.depots);
      bounds.extend([lat, lon]);
    }
  }
  for (const stop of stops || []) {
    if (stop.lat == null || stop.lon == null) continue; // undefined, or null once erased
    const colour = stop.vehicle_id ? colours.get(stop.vehicle_id) || "#444" : "#ffffff";
    const marker = L.circleMarker([stop.lat, stop.lon], {
      radius: stop.vehicle_id ? 7 : 6,
      color: stop.vehicle_id ? OUTCOME_STROKE[stop.outcome] || "#ffffff" : "#5f6368",
      weight: OUTCOME_STROKE[stop.outcome] ? 4 : 2,
      dashArray: stop.vehicle_id ? null : "3 2",
      fillColor: colour,
      fillOpacity: 0.95,
      className: `kapida-stop kapida-${stop.vehicle_id ? "routed" : "unserved"} kapida-outcome-${stop.outcome || "planned"}`,
    });
    marker.bindPopup(() => stopPopup(stop, vehicleName));
    if (onStopClick) marker.on("click", () => onStopClick(stop));
    marker.addTo(layers.stops);
    bounds.extend([stop.lat, stop.lon]);
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16, animate: false });
}

/**
 * Every stop of a plan: routed ones from its detail (with their vehicle), then the unserved ones, whose
 * place comes from the plan's GeoJSON (the detail names only their key and reason).
 */
export function planStops(plan, geojson) {
  const routed = (plan?.routes || []).flatMap((route) =>
    (route.stops || []).map((stop) => ({ ...stop, vehicle_id: stop.vehicle_id || route.vehicle_id })),
  );
  const points = new Map(
    (geojson?.features || [])
      .filter((f) => f.properties?.kind === "unserved")
      .map((f) => [f.properties.key, { ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }]),
  );
  const unserved = (plan?.unserved || []).map((stop) => ({ ...points.get(stop.key), ...stop, vehicle_id: null }));
  return [...routed, ...unserved];
}

/** Each vehicle's plate, from the plan's route lines. */
export function vehiclePlates(geojson) {
  return new Map(
    (geojson?.features || [])
      .filter((f) => f.properties?.vehicle_id && f.properties?.plate)
      .map((f) => [f.properties.vehicle_id, f.properties.plate]),
  );
}

function stopPopup(stop, vehicleName) {
  const rows = [
    [t("stop.eta"), fmtClock(stop.eta_s)],
    [t("stop.quantity"), `${fmtNumber(stop.quantity ?? 0)} ${label("unit", stop.unit, stop.unit || "")}`],
    [t("stop.outcome"), label("outcome", stop.outcome || "planned")],
  ];
  if (stop.vehicle_id) rows.unshift([t("stop.vehicle"), `${vehicleName(stop.vehicle_id)} · #${(stop.seq ?? 0) + 1}`]);
  if (stop.failure_reason) rows.push([t("stop.failure_reason"), label("failure", stop.failure_reason)]);
  if (!stop.vehicle_id) rows.push([t("stop.unserved_reason"), label("reason", stop.reason)]);
  return el(
    "div",
    { class: "popup" },
    el("strong", {}, stop.name || t("stop.household_unnamed")),
    stop.address ? el("div", { class: "muted" }, stop.address) : null,
    el("table", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v)))),
  );
}

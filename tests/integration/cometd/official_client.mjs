// The official CometD JavaScript client (npm cometd + cometd-nodejs-client) against the
// emulator's Statistics CometD server. Prints one JSON line per event:
//   {"kind": "handshake"|"subscribe"|"rest"|"update"|"service"|"disconnect"|"error", "message": ...}
// Usage: node official_client.mjs NODE_MODULES_DIR BASE_URL API_KEY TOKEN
// It handshakes, subscribes to both Statistics channels, creates a subscription over REST,
// waits for its StatisticUpdate, asks the admin endpoint for an outage, waits for
// UNAVAILABLE and AVAILABLE, disconnects and exits 0; any failure or 60 s: exit 1.

import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, base, apiKey, token] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(path.join(modules, p)).href);
const { adapt } = await load("cometd-nodejs-client/cometd-nodejs-client.js");
const { CometD } = await load("cometd/cometd.js");
adapt();

// Messages as the server sent them: the client's own bookkeeping (failure details holding
// sockets, "reestablish") is left out.
const wire = ["channel", "id", "clientId", "successful", "error", "advice", "data", "ext",
              "subscription", "version", "minimumVersion", "supportedConnectionTypes"];
const print = (kind, message) => {
  const out = message && typeof message === "object" && message.channel
    ? Object.fromEntries(wire.filter((k) => k in message).map((k) => [k, message[k]]))
    : message;
  process.stdout.write(JSON.stringify({ kind, message: out }) + "\n");
};
const fail = (why) => {
  print("error", String(why));
  process.exit(1);
};
setTimeout(() => fail("timed out after 60 s"), 60000).unref();

const headers = { "x-api-key": apiKey, Authorization: "Bearer " + token };
const cometd = new CometD();
// The emulator serves the long-polling transport only (COMETD.md).
cometd.unregisterTransport("websocket");
cometd.configure({ url: base + "/statistics/v3/notifications", requestHeaders: headers,
                   logLevel: "warn" });

let subscriptionId = null;
let sawUnavailable = false;

function subscribed(channel) {
  return new Promise((resolve) => {
    cometd.subscribe(channel, (m) => {
      print(channel.endsWith("updates") ? "update" : "service", m);
      onEvent(channel, m);
    }, (reply) => {
      print("subscribe", reply);
      if (!reply.successful) fail("subscribe to " + channel + " refused: " + reply.error);
      resolve();
    });
  });
}

async function createSubscription() {
  const res = await fetch(base + "/statistics/v3/subscriptions?verbose=INFO", {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ operationId: "interop-1", data: { statistics: [
      { statisticId: "s1", name: "CurrentNumberWaitingCalls", objectId: "q1",
        objectType: "Queue" },
      { statisticId: "s2", name: "TotalLoginTime", objectId: "agent1", objectType: "Agent" }] } }),
  });
  const body = await res.json();
  print("rest", { status: res.status, body });
  if (res.status !== 200) fail("REST subscription failed: " + res.status);
  subscriptionId = body.data.subscriptionId;
}

let outageAsked = false;
async function onEvent(channel, m) {
  const n = m.data;
  if (channel.endsWith("updates") && !outageAsked && subscriptionId &&
      n.data.statistics.some((s) => s.subscriptionId === subscriptionId)) {
    outageAsked = true;
    const res = await fetch(base + "/__cxh/admin/statistics/outage", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ duration_ms: 300 }),
    });
    if (res.status !== 200) fail("admin outage refused: " + res.status);
  }
  if (channel.endsWith("service") && n.data.serviceState === "UNAVAILABLE") sawUnavailable = true;
  if (channel.endsWith("service") && n.data.serviceState === "AVAILABLE" && sawUnavailable) {
    cometd.disconnect((reply) => {
      print("disconnect", reply);
      process.exit(reply.successful ? 0 : 1);
    });
  }
}

cometd.handshake(async (reply) => {
  print("handshake", reply);
  if (!reply.successful) fail("handshake refused: " + reply.error);
  try {
    await subscribed("/statistics/v3/updates");
    await subscribed("/statistics/v3/service");
    await createSubscription();
  } catch (e) {
    fail(e);
  }
});

// An independent Bayeux server for interoperability tests: npm faye 1.4.3 (NodeAdapter) on an
// ephemeral loopback port. Usage: node faye_server.js NODE_MODULES_DIR
// Prints {"port": N} once listening, then one JSON line per event it sees:
//   {"event": "subscribe"|"publish"|"handshake"|"disconnect", "clientId", "channel", "data"}
// Reads commands on stdin, one JSON line each: {"publish": CHANNEL, "data": ...} publishes
// from the server's own client. Exits when stdin closes.
"use strict";
const path = require("path");
const http = require("http");
const readline = require("readline");
const faye = require(path.join(process.argv[2], "faye"));

const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const bayeux = new faye.NodeAdapter({ mount: "/faye", timeout: 5 });
bayeux.on("handshake", (clientId) => print({ event: "handshake", clientId }));
bayeux.on("subscribe", (clientId, channel) => print({ event: "subscribe", clientId, channel }));
bayeux.on("publish", (clientId, channel, data) =>
  print({ event: "publish", clientId, channel, data }));
bayeux.on("disconnect", (clientId) => print({ event: "disconnect", clientId }));

const server = http.createServer();
bayeux.attach(server);
server.listen(0, "127.0.0.1", () => print({ port: server.address().port }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    print({ event: "error", message: "not JSON: " + line });
    return;
  }
  if (cmd.publish) bayeux.getClient().publish(cmd.publish, cmd.data);
}).on("close", () => process.exit(0));

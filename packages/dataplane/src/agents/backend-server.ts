// A backend "pod": TCP and UDP servers on one address, each answering with the pod's name, so a
// client can count which backend served each request. Runs inside the backend namespace, as
// source (Node strips the types): node backend-server.ts <name> <address> <tcp ports> <udp ports>,
// ports comma-separated (possibly empty). Prints "ready" once every socket listens.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const [name, address, tcpList = '', udpList = ''] = process.argv.slice(2);
if (!name || !address) {
  process.stderr.write('usage: backend-server.ts <name> <address> <tcp ports> <udp ports>\n');
  process.exit(2);
}
const ports = (list: string): number[] => list.split(',').filter((p) => p !== '').map(Number);

const listening: Promise<void>[] = [];
for (const port of ports(tcpList)) {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(`${name}\n`);
  });
  listening.push(new Promise((resolve, reject) => server.once('error', reject).listen(port, address, () => resolve())));
}
for (const port of ports(udpList)) {
  const socket = createSocket('udp4');
  socket.on('message', (_message, peer) => socket.send(`${name}\n`, peer.port, peer.address));
  listening.push(new Promise((resolve, reject) => socket.once('error', reject).bind(port, address, () => resolve())));
}
await Promise.all(listening);
process.stdout.write('ready\n');

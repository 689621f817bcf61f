// The client: one long-lived process inside the client namespace that sends requests on command.
// Reads JSON lines {id, protocol: "tcp"|"udp", host, port, timeoutMs} on stdin and writes one JSON
// line {id, answer} or {id, error} per request: the first line a backend sent back, or why none
// came. Every request uses a new socket (a new source port), so kube-proxy balances each anew.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

interface Request {
  id: number;
  protocol: 'tcp' | 'udp';
  host: string;
  port: number;
  timeoutMs: number;
}
type Reply = { id: number; answer: string } | { id: number; error: string };

function tcp(request: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: request.host, port: request.port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), request.timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      data.trim() === '' ? reject(new Error('closed without an answer')) : resolve(data.trim());
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function udp(request: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const finish = (error: Error | undefined, answer?: string): void => {
      clearTimeout(timer);
      socket.close();
      error ? reject(error) : resolve(answer ?? '');
    };
    const timer = setTimeout(() => finish(new Error('timeout')), request.timeoutMs);
    socket.on('message', (message) => finish(undefined, message.toString('utf8').trim()));
    // A connected socket also reports ICMP errors (port or network unreachable) as errors.
    socket.on('error', (error) => finish(error));
    socket.connect(request.port, request.host, () => socket.send('hello'));
  });
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const request = JSON.parse(line) as Request;
  const send = (reply: Reply): void => void process.stdout.write(`${JSON.stringify(reply)}\n`);
  (request.protocol === 'tcp' ? tcp(request) : udp(request)).then(
    (answer) => send({ id: request.id, answer }),
    (error: Error) => send({ id: request.id, error: (error as NodeJS.ErrnoException).code ?? error.message }),
  );
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');

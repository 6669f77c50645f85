import fs from 'node:fs';
import path from 'node:path';

/**
 * nginx as a plain reverse proxy, configured as a careful operator would: one worker (the
 * gateway has one core too), keep-alive to the upstream (the gateway pools connections),
 * a buffered access log (the gateway logs every request). No caching: both proxies
 * forward every request.
 */
export function writeNginxConfig(dir: string, listenPort: number, upstreamPort: number): string {
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    fs.mkdirSync(path.join(dir, 'nginx-temp', sub), { recursive: true, mode: 0o777 });
  const file = path.join(dir, 'nginx.conf');
  const t = path.join(dir, 'nginx-temp');
  fs.writeFileSync(
    file,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path ${t}/body;
  proxy_temp_path ${t}/proxy;
  fastcgi_temp_path ${t}/fastcgi;
  uwsgi_temp_path ${t}/uwsgi;
  scgi_temp_path ${t}/scgi;
  keepalive_requests 1000000;
  upstream product { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://product;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  return file;
}

import http from 'node:http'

const allowedOrigins = (process.env.ALLOWED_ORIGINS || 'http://localhost:3000').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*')

const server = http.createServer((req, res) => {
  const origin = req.headers.origin
  if (origin && allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin)
  res.setHeader('Vary', 'Origin')
  res.end('ok')
})

server.listen(3002)

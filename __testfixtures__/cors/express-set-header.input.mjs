import http from 'node:http'

const server = http.createServer((req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.end('ok')
})

server.listen(3002)

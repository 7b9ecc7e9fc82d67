// Connects to the "database" (a line-based TCP service) with credentials from process.env.
// The script knows nothing about secretkit: it only reads environment variables.
const net = require('node:net')

function connectToDatabase(env = process.env) {
  const { DB_HOST = '127.0.0.1', DB_PORT, DB_USER, DB_PASSWORD } = env
  if (!DB_PORT || !DB_USER || !DB_PASSWORD) {
    return Promise.reject(new Error('DB_PORT, DB_USER and DB_PASSWORD must be set'))
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: DB_HOST, port: Number(DB_PORT) })
    socket.setEncoding('utf8')
    socket.once('error', (error) => reject(new Error(`cannot reach the database (${error.code})`)))
    socket.once('connect', () => socket.write(`AUTH ${DB_USER} ${DB_PASSWORD}\n`))
    socket.once('data', (reply) => {
      socket.end()
      if (reply.startsWith('OK')) resolve({ user: DB_USER })
      else reject(new Error(`the database refused user ${DB_USER}`))
    })
  })
}

async function main() {
  try {
    const { user } = await connectToDatabase()
    console.log(`connected as ${user}`)
  } catch (error) {
    console.error(error.message)
    process.exitCode = 1
  }
}

module.exports = { connectToDatabase, main }

// ES module entry point: node --import @secretkit/preload app.mjs
import connect from './lib/connect.cjs'

await connect.main()

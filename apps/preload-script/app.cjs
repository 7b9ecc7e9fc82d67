// CommonJS entry point: NODE_OPTIONS="--import @secretkit/preload" node app.cjs
require('./lib/connect.cjs').main()

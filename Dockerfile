# One image for every Baton service (orchestrator, gateway, the triage step service, the CLI):
# TypeScript runs through @swc-node/register, as `npm start` does. The command picks the service:
#   node -r @swc-node/register services/orchestrator/src/main.ts   (default)
#   node -r @swc-node/register services/gateway/src/main.ts
#   node -r @swc-node/register services/triage-steps/src/main.ts
#   node -r @swc-node/register services/orchestrator/src/cli.ts migrate
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY package.json package-lock.json ./
# Dev dependencies too: @swc-node/register runs the TypeScript sources.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild @swc/core && npm cache clean --force
COPY tsconfig.base.json tsconfig.json nx.json ./
COPY contracts ./contracts
COPY libs ./libs
COPY services ./services
COPY deploy/topics.json ./deploy/topics.json
COPY deploy/kafka-acls.json ./deploy/kafka-acls.json
COPY deploy/local/kafka-security.mjs ./deploy/local/kafka-security.mjs
USER node
EXPOSE 3000 3001 3100
# SIGTERM reaches node directly (no shell), which stops consumers, commits offsets and exits.
CMD ["node", "-r", "@swc-node/register", "services/orchestrator/src/main.ts"]

# Switchboard: one image for the agents and the service (the command picks which).
#   docker build -t switchboard .
#   docker run -p 8100:8100 switchboard                                # the service, agents started inside
#   docker run -e PORT=8101 switchboard node scripts/agent.ts incident  # one agent
# Node 24 runs the TypeScript sources as they are (type stripping): there is no build step.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: no compiler, linter, test tools or browsers in the image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8100 \
    SWITCHBOARD_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json switchboard.config.json langgraph.json ./
COPY src ./src
COPY servers ./servers
COPY graphs ./graphs
COPY scripts ./scripts
COPY deploy ./deploy
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8100
# /healthz answers without a key on every agent and the service; PORT says where this one listens.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "scripts/serve.ts"]

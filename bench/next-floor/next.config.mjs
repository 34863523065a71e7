// A minimal Next.js app for `npm run bench`: the least a Next.js route handler costs, so the
// dashboard's gateway figures can be read against it. Not part of the dashboard.
const config = { poweredByHeader: false };

export default config;

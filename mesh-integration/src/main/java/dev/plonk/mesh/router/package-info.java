/**
 * The route objects of a rollout: one {@link dev.plonk.mesh.router.TrafficRouter} per routing API writes them,
 * {@link dev.plonk.mesh.router.SplitReader} reads them back for the routers and for the gateway's direct mode, so the
 * format has a single owner. The backend names come from {@link dev.plonk.mesh.BackendNames}.
 */
package dev.plonk.mesh.router;

/** A window during which alerts of its services are stored but page nobody. */
export interface MaintenanceWindow {
  id: string;
  /** null: every service. */
  serviceIds: readonly string[] | null;
  startsAt: number;
  endsAt: number;
}

/** The window that silences `serviceId` at `at` (half-open [startsAt, endsAt)), if any. */
export function activeMaintenance(
  windows: readonly MaintenanceWindow[],
  serviceId: string,
  at: number,
): MaintenanceWindow | null {
  let found: MaintenanceWindow | null = null;
  for (const w of windows) {
    if (at < w.startsAt || at >= w.endsAt) continue;
    if (w.serviceIds !== null && !w.serviceIds.includes(serviceId)) continue;
    // The window ending last is the one to report: it is when paging resumes.
    if (found === null || w.endsAt > found.endsAt) found = w;
  }
  return found;
}

/** When paging for `serviceId` resumes if windows overlap or chain end to start. */
export function maintenanceEndsAt(
  windows: readonly MaintenanceWindow[],
  serviceId: string,
  at: number,
): number | null {
  let w = activeMaintenance(windows, serviceId, at);
  if (w === null) return null;
  let end = w.endsAt;
  for (let guard = 0; guard < windows.length; guard++) {
    w = activeMaintenance(windows, serviceId, end);
    if (w === null) break;
    end = w.endsAt;
  }
  return end;
}

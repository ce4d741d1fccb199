import { useState } from 'react';
import { api } from '../../api/client';
import type { Team } from '../../api/types';
import { useLoad } from '../../lib/useLoad';
import type { Loaded } from '../../lib/useLoad';
import type { RosterSetup } from './rosterTypes';

/** The teams the user may see and the one the page shows: the first until another is picked. */
export function useTeamChoice(): {
  teams: Team[];
  teamId: string | undefined;
  setTeamId: (id: string | undefined) => void;
} {
  const [picked, setTeamId] = useState<string>();
  const { data: teams } = useLoad(
    async (signal) => (await api.get<{ items: Team[] }>('/api/teams', undefined, { signal })).items,
    [],
    { initial: [] },
  );
  return { teams, teamId: picked ?? teams[0]?.id, setTeamId };
}

/** A team's roster setup (shift types, posts, people, rules); null while no team is chosen. */
export function useRosterSetup(teamId: string | undefined): Loaded<RosterSetup | null> {
  return useLoad(
    async (signal) =>
      teamId
        ? api.get<RosterSetup>(`/api/roster/teams/${teamId}/setup`, undefined, { signal })
        : null,
    [teamId],
    { initial: null },
  );
}

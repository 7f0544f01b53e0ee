import { Layout } from './shell/Layout';
import { ExecutionPage } from './features/executions/ExecutionPage';
import { ExecutionsPage } from './features/executions/ExecutionsPage';
import { FlowEditorPage } from './features/flows/FlowEditorPage';
import { FlowsPage } from './features/flows/FlowsPage';
import { InventoryPage } from './features/inventory/InventoryPage';
import { SchedulesPage } from './features/schedules/SchedulesPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { TasksPage } from './features/tasks/TasksPage';
import { RunnersPage } from './features/runners/RunnersPage';
import { PageErrorBoundary } from './shell/PageErrorBoundary';
import { routeHref, sectionOf, useRoute } from './shell/route';

export function App() {
  const route = useRoute((s) => s.route);
  let page;
  switch (route.page) {
    case 'inventory':
      page = <InventoryPage />;
      break;
    case 'flows':
      page = <FlowsPage />;
      break;
    case 'flow':
      page = <FlowEditorPage id={route.id} />;
      break;
    case 'executions':
      page = <ExecutionsPage />;
      break;
    case 'execution':
      page = <ExecutionPage key={route.id} id={route.id} />;
      break;
    case 'tasks':
      page = <TasksPage />;
      break;
    case 'schedules':
      page = <SchedulesPage />;
      break;
    case 'runners':
      page = <RunnersPage />;
      break;
    case 'settings':
      page = <SettingsPage />;
      break;
  }
  return (
    <Layout>
      <PageErrorBoundary page={sectionOf(route)} resetKey={routeHref(route)}>
        {page}
      </PageErrorBoundary>
    </Layout>
  );
}

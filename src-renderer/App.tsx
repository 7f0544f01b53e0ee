import { Layout } from './components/Layout';
import { ExecutionPage } from './pages/ExecutionPage';
import { ExecutionsPage } from './pages/ExecutionsPage';
import { FlowEditorPage } from './pages/FlowEditorPage';
import { FlowsPage } from './pages/FlowsPage';
import { InventoryPage } from './pages/InventoryPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { SettingsPage } from './pages/SettingsPage';
import { TasksPage } from './pages/TasksPage';
import { useRoute } from './stores/route';

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
    case 'settings':
      page = <SettingsPage />;
      break;
  }
  return <Layout>{page}</Layout>;
}

import '@xyflow/react/dist/style.css';
import './styles.css';
import './app/i18n.ts';

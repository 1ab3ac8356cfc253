import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createTransport } from '../../src-main/contract/transport';
import App from './App.vue';
import { installTransport } from './api/transport';
import './styles.css';

installTransport(createTransport());
createApp(App).use(createPinia()).mount('#app');

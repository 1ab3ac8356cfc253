import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createTransport } from '../../src-main/contract/transport';
import App from './app.vue';
import { removeTokenFromAddress } from './api/address-token';
import { installTransport } from './api/transport';
import './styles.css';

installTransport(createTransport());
// The transport has read the token; the cookie the page response set authorises the rest.
if (!(globalThis as { bridge?: unknown }).bridge) removeTokenFromAddress(window.location, window.history);
createApp(App).use(createPinia()).mount('#app');
